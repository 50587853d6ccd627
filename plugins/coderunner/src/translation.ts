import {
  createTranslationRef,
  TranslationFunction,
} from '@backstage/core-plugin-api/alpha';

/**
 * The user-facing text of CodeRunner's page, entity tabs and cards, for an app to translate or
 * reword with `createTranslationMessages` / `createTranslationResource`. Keys are grouped per
 * component (`globalPage.*`, `deploymentsTab.*`, `configTab.*`, `autoscalingTab.*`,
 * `logsTab.*`, `overviewCard.*`, `costCard.*`, `alertsList.*`, `metricsSection.*`,
 * `statusLabel.*`, `permittedButton.*`, `manifestMissingState.*`) and per text helper
 * (`formatWhen.*`, `displayUser.*`, `errorTitle.*`, `dayOfMonth.*`). Values in `{{…}}` are
 * filled in (`{{x, relativetime(…)}}` with i18next's formatter, in the app's language); a key
 * with `_one` / `_other` forms is chosen by `count`.
 *
 * @alpha
 */
export const coderunnerTranslationRef = createTranslationRef({
  id: 'coderunner',
  messages: {
    deploymentsTab: {
      terminal: {
        title: 'Terminal: instance {{instance}} ({{environment}})',
        connecting: 'Connecting…',
        connected:
          'Connected. Closes after {{idle}} without input. Copy with Ctrl+Shift+C, paste with Ctrl+Shift+V (⌘C, ⌘V on a Mac).',
        minutes: '{{minutes}} min',
        seconds: '{{seconds}} s',
        instanceStopped: 'The instance is not running: {{message}}',
        forbidden: 'Not allowed (403): {{message}}',
        label: 'Terminal of instance {{instance}}',
        copy: 'Copy selection',
        paste: 'Paste',
        close: 'Close',
        problems: {
          lost: 'The connection to the terminal was lost',
          lostWithDetail: 'The connection to the terminal was lost: {{detail}}',
          notOpened: 'Could not open the terminal: {{detail}}',
          closedBeforeOpen:
            'The terminal connection closed before it opened; try again',
          unreachable: 'Could not reach CodeRunner: {{detail}}',
        },
      },
      instances: {
        none: 'No instances run.',
        label: 'Instances',
        instance: 'Instance',
        release: 'Release',
        state: 'State',
        restarts: 'Restarts',
        reason: 'Reason',
        actions: 'Actions',
        exitCode: ' (exit code {{code}})',
        terminal: 'Terminal',
        terminalLabel: 'Terminal in instance {{instance}}',
      },
      notDeployed: {
        title: 'Not deployed to {{environment}} yet',
        description:
          "Deploy builds release 1 from the component's source and its coderunner.yaml, starts its instances in AgentSphere sandboxes and serves them on a stable URL.",
        deploy: 'Deploy',
      },
      releases: {
        title: 'Release history',
        empty: 'No releases yet.',
        release: 'Release',
        active: 'Active',
        rollingOut: 'Rolling out',
        artifactPruned: 'Artifact pruned',
        artifactPrunedHelp:
          'Its artifact was deleted {{when}} to keep storage bounded (only the newest releases keep theirs), so it cannot be rolled back to; deploy again instead.',
        status: 'Status',
        created: 'Created',
        createdBy: 'by {{user}}, {{when}}',
        source: 'Source',
        failure: 'Failure',
        actions: 'Actions',
        rollback: 'Rollback',
        rollbackLabel: 'Rollback to release {{number}}',
        buildLog: 'Build log',
        buildLogLabel: 'Build log of release {{number}}',
      },
      rollbackDialog: {
        title: 'Roll back {{environment}}',
        confirm: 'Roll back',
        success: 'Rolling {{environment}} back to release {{number}}',
        description:
          'Starts instances of the chosen release and switches the URL to them once they are ready, then stops the current ones. Nothing is rebuilt.',
        release: 'Release',
        option: 'Release {{number}} · by {{user}} {{when}}',
        optionWithSource:
          'Release {{number}} · {{source}} · by {{user}} {{when}}',
      },
      rollout: {
        inProgress: 'Rollout in progress: release {{number}} ({{step}})',
        startingInstances: 'starting instances',
        label: 'Rolling out release {{number}}',
      },
      summary: {
        pendingConfig:
          'Configuration version {{version}} is saved but not applied here yet; apply it from the Config tab.',
        url: 'url',
        activeRelease: 'active release',
        deployed: 'deployed',
        instances: 'instances',
        noneYet: 'none yet',
        notYet: 'not yet',
        release: 'Release {{number}}',
        releaseWithSource: 'Release {{number}} · {{source}}',
        deployedBy: 'by {{user}}, {{when}}',
        ready: '{{ready}} of {{desired}} ready',
      },
      cost: {
        line: 'Cost this month: {{spent}} (builds {{builds}}), forecast {{forecast}}.',
        lineRunning_one:
          'Cost this month: {{spent}} (builds {{builds}}), forecast {{forecast}}; {{count}} instance now cost {{hourly}} an hour.',
        lineRunning_other:
          'Cost this month: {{spent}} (builds {{builds}}), forecast {{forecast}}; {{count}} instances now cost {{hourly}} an hour.',
      },
      instancesHeading: 'Instances',
      actionDialog: {
        cancel: 'Cancel',
        inProgress: '{{action}} in progress',
        requestFailed: 'The request failed',
      },
      buildLog: {
        title: 'Build log of release {{number}}',
        empty: 'No build output was stored for this release.',
        close: 'Close',
      },
      deployDialog: {
        title: 'Deploy {{name}} to {{environment}}',
        confirm: 'Deploy',
        success: 'Deploying {{name}} to {{environment}}',
        description:
          "Builds a new release from the component's source and its coderunner.yaml, starts its instances and switches the URL to them once they are ready; the running release keeps serving until then.",
        instances: 'Instances',
        instancesProblem: 'A whole number from 1 to {{max}}',
        instancesHelp: 'How many instances to run',
        instancesEmpty: 'Empty: as many as coderunner.yaml asks for',
      },
      actions: {
        deploy: 'Deploy',
        rollback: 'Rollback',
        restart: 'Restart',
        stop: 'Stop',
        start: 'Start',
        starting: 'Starting…',
        startSuccess: 'Starting {{environment}}',
        delete: 'Delete',
        restartTitle: 'Restart {{environment}}',
        restartSuccess: 'Restarting {{environment}}',
        restartDescription:
          'Starts fresh instances of release {{release}}, switches the URL to them once they are ready and then stops the current ones.',
        stopTitle: 'Stop {{environment}}',
        stopSuccess: 'Stopping {{environment}}',
        stopDescription:
          'Stops every instance. The URL answers 503 until you start the deployment again; releases and configuration are kept.',
        deleteTitle: 'Delete the {{environment}} deployment',
        deleteSuccess: 'Deleting the {{environment}} deployment',
        deleteDescription:
          'Stops every instance and removes the deployment; its URL stops answering. Deploy again to bring it back.',
      },
    },
    autoscalingTab: {
      targets: {
        cpuPercent: 'CPU',
        memoryPercent: 'Memory',
        p95LatencyMs: 'p95 latency',
        errorRate: 'Error rate',
        requestsPerSecondPerInstance: 'Requests per instance',
      },
      causes: {
        autoscaler: 'Autoscaler',
        manual: 'Manual hold',
        'hold-expired': 'Hold expired',
        paused: 'Paused',
        resumed: 'Resumed',
        policy: 'Policy change',
        wake: 'Woken by a request',
      },
      duration: {
        seconds: '{{seconds}} s',
        minutes: '{{minutes}} min',
        minutesSeconds: '{{minutes}} min {{seconds}} s',
        hours: '{{hours}} h',
        hoursMinutes: '{{hours}} h {{minutes}} min',
      },
      policyRows: {
        overrideSource: 'Override v{{version}} by {{user}}',
        templateSource: 'Template {{template}}',
        defaults: 'Defaults',
        template: 'Template',
        noTemplate: 'none (the count only changes by hand)',
        minInstances: 'Minimum instances',
        maxInstances: 'Maximum instances',
        capped: '{{budget}} ({{configured}} configured)',
        budgetCap: 'Budget cap',
        target: 'Target: {{target}}',
        scaleUpWindow: 'Scale-up window',
        scaleDownWindow: 'Scale-down window',
        scaleUpCooldown: 'Cooldown after scaling up',
        scaleDownCooldown: 'Cooldown before scaling down',
        metricsMaxAge: 'Metrics count as missing after',
        scaleToZero: 'Scale to zero after idle',
      },
      decisions: {
        title: 'Decisions',
        which: 'Which decisions',
        changes: 'Changes and actions',
        all: 'All decisions',
        cause: 'Cause',
        allCauses: 'All causes',
        heldAt: 'Held at {{instances}}',
        sentence: '{{head}} at {{time}}',
        sentenceWithReasons: '{{head}} at {{time}}: {{reasons}}',
        by: ' · by {{user}}',
        stale: ' · metrics were stale, so the count was not lowered',
        noChangesTitle: 'No scaling changes yet',
        noChanges:
          'The autoscaler has not changed the count yet. It decides on every metrics sample; choose "All decisions" to see why it held, or send the app more traffic.',
        noMatchTitle: 'No decision matches',
        noMatch: 'Choose another cause or "All decisions".',
        listLabel: 'Scaling decisions, newest first',
        loadOlder: 'Load older decisions',
      },
      policyDialog: {
        title: 'Scaling policy of {{environment}}',
        description:
          'Saving keeps these values as an override of coderunner.yaml (a new version, audited). The autoscaler uses them from its next decision, without a rebuild. Targets you change replace the template’s as a set: the filled-in ones apply.',
        template: 'Template',
        templateHelp: 'Sets the windows and the targets you leave empty',
        noTemplate: 'None (the count only changes by hand)',
        minInstances: 'Minimum instances',
        minHelp: '0 allows scaling to zero',
        maxInstances: 'Maximum instances',
        targetField: '{{target}} ({{unit}})',
        targetLabels: {
          cpuPercent: 'CPU target',
          memoryPercent: 'Memory target',
          p95LatencyMs: 'p95 latency target',
          errorRate: 'Error rate target',
          requestsPerSecondPerInstance: 'Requests per instance target',
        },
        targetHelp: 'Empty: no target on this metric',
        refused: 'The backend refused this value (below)',
        saved: 'Saved the scaling policy of {{environment}}',
        saving: 'Saving the policy',
        cancel: 'Cancel',
        save: 'Save policy',
        wholeNumber: 'Enter a whole number',
        range: 'Must be from {{low}} to {{high}}',
        minAboveMax: 'Must not exceed the maximum',
        oneOf: 'One of {{names}}',
        numberRange: 'Must be a number from {{low}} to {{high}}',
      },
      environment: 'Environment',
      notDeployed: {
        title: 'Not deployed to {{environment}}',
        description:
          'Autoscaling starts with the first deployment: deploy {{environment}} from the Deployments tab, then its instance count, policy and decisions show here.',
        openDeploymentsTab: 'Open the Deployments tab',
      },
      instancesTitle: 'Instances',
      policy: {
        title: 'Policy',
        override: 'Override v{{version}} saved {{when}}',
        fromManifest: 'As coderunner.yaml sets it',
        edit: 'Edit policy',
        reset: 'Reset to coderunner.yaml',
        resetTitle: 'Reset the policy of {{environment}}?',
        resetSuccess:
          'The policy of {{environment}} follows coderunner.yaml again',
        resetDescription:
          'The saved override (v{{version}}) stops applying; the template, bounds and targets come from coderunner.yaml again. The override stays in the version history.',
        tableLabel: 'Effective scaling policy',
        setting: 'Setting',
        value: 'Value',
        from: 'From',
      },
      controls: {
        changeHold: 'Change the hold',
        setInstances: 'Set instances',
        releaseHold: 'Release hold',
        resume: 'Resume autoscaling',
        resumed: 'Autoscaling of {{environment}} resumed',
        pause: 'Pause autoscaling',
        releaseTitle: 'Release the hold on {{environment}}?',
        released: 'Released the hold on {{environment}}',
        releaseToAutoscaler:
          'The autoscaler decides the count again from its next tick, within the policy’s bounds.',
        releaseToManifest:
          'The count goes back to what coderunner.yaml asks for.',
        pauseTitle: 'Pause autoscaling of {{environment}}?',
        paused: 'Autoscaling of {{environment}} paused',
        pauseDescription:
          'The instance count stays at {{instances}} until someone resumes autoscaling.',
        pauseReason: 'Reason (optional)',
      },
      holdDialog: {
        title: 'Set the instance count of {{environment}}',
        confirm: 'Hold this count',
        success_one: 'Holding {{environment}} at {{count}} instance',
        success_other: 'Holding {{environment}} at {{count}} instances',
        description:
          'The autoscaler keeps this count until the hold expires or someone releases it, and says so in every decision. Instances start from the active release; nothing is rebuilt.',
        instances: 'Instances',
        instancesProblem: 'Enter a whole number from 0 to {{max}}',
        expires: 'Expires',
        reason: 'Reason',
        reasonPlaceholder: 'e.g. Launch at 14:00, keep 4 warm',
        reasonProblem: 'Say why, for the history and the audit log',
        expiry: {
          none: 'Until released',
          '15': '15 minutes',
          '60': '1 hour',
          '240': '4 hours',
          '1440': '24 hours',
        },
      },
      notices: {
        hold_one:
          'Held at {{count}} instance by {{user}} ({{when}}): “{{reason}}”.',
        hold_other:
          'Held at {{count}} instances by {{user}} ({{when}}): “{{reason}}”.',
        holdExpires: 'The policy takes over again {{when}}.',
        holdLasts: 'The hold lasts until someone releases it.',
        paused:
          'Autoscaling paused by {{user}} ({{when}}). The instance count stays where it is until someone resumes it.',
        pausedWithReason:
          'Autoscaling paused by {{user}} ({{when}}): “{{reason}}”. The instance count stays where it is until someone resumes it.',
      },
      missing: {
        title: 'Autoscaling is off',
        description:
          "The active release's coderunner.yaml has no scaling template, so the instance count only changes by hand (below). Add a scaling section like this one, commit it and deploy; the autoscaler then keeps the count between min and max and explains every decision here.",
        readDocs: 'Read docs/autoscaling.md',
      },
      counts: {
        current: 'Current',
        currentHint: 'running or starting',
        desired: 'Desired',
        desiredHint: 'what scaling asks for',
        ready: 'Ready',
        readyHint: 'serving requests',
        scalingUp: 'Scaling up: {{number}} more to start.',
        scalingDown: 'Scaling down: {{number}} to drain and stop.',
        starting: '{{number}} starting.',
        allReady: 'All desired instances are ready.',
      },
      charts: {
        title: 'Metrics against targets',
        perInstance: 'Requests per ready instance',
        notMeasured:
          'Not measured in the last {{window}} yet: send the app requests, the gateway counts them.',
        memoryTarget: "Target {{target}}% of the instance's memory.",
        noneReady: 'No instance was ready in the last {{window}}.',
        decisionLines: 'Dotted lines mark scaling decisions',
      },
    },
    metricsSection: {
      title: 'Metrics',
      metrics: {
        requests: 'Requests',
        latency_p95_ms: 'p95 latency',
        error_ratio: 'Error rate (5xx)',
        cpu_percent: 'CPU',
        memory_mib: 'Memory',
        instances_ready: 'Ready instances',
      },
      /** Units after values, on charts and in the scaling policy's target fields. */
      units: {
        requestsPerSecond: 'req/s',
        milliseconds: 'ms',
        mebibytes: 'MiB',
      },
      windowToggle: {
        label: 'Time window',
        option: '{{short}}, last {{window}}',
        short: { '1h': '1 h', '6h': '6 h', '24h': '24 h', '7d': '7 d' },
        long: {
          '1h': 'hour',
          '6h': '6 hours',
          '24h': '24 hours',
          '7d': '7 days',
        },
      },
      noTrafficTitle: 'No traffic yet',
      emptyWithUrl:
        "Nothing measured in the last {{window}}. Open the app's URL (above) or send it requests: the gateway counts them and the charts show them within a flush interval (15 seconds by default). CPU and memory appear once the sandboxes have been polled.",
      emptyWithoutUrl:
        'Nothing measured in the last {{window}}. Start the deployment and send it requests: the gateway counts them and the charts show them within a flush interval (15 seconds by default). CPU and memory appear once the sandboxes have been polled.',
      noTrafficWithUrl:
        "No traffic in the last {{window}}: open the app's URL to send it requests.",
      noTraffic: 'No traffic in the last {{window}}.',
      notMeasured: 'Not measured in the last {{window}} yet.',
      releaseLines: 'Dashed lines mark releases rolling out',
      instanceLines:
        'Dotted lines mark changes in the number of ready instances',
      releaseMarker: 'Release {{number}}',
      instancesMarker: '{{number}} ready',
      markerNote: '{{lead}}: {{markers}}.',
      markerItem: '{{label}} ({{short}}) at {{when}}',
      chart: {
        titleWithUnit: '{{title}} ({{unit}})',
        summary:
          'Latest {{latest}}; lowest {{lowest}}, highest {{highest}} in the last {{window}}.',
        target: 'Target {{target}}.',
        targetLine: 'target',
      },
    },
    costCard: {
      title: 'Cost',
      noManifest: 'Nothing to pay for: this component has no coderunner.yaml.',
      refused:
        'Only the owners of this component (and CodeRunner operators) may set or remove its budget',
      spent: 'This month so far',
      forecast: 'Forecast for the month',
      builds: 'Of which builds',
      howCounted:
        "Every second each instance and build runs, at its size's price.",
      noBudget:
        'No budget yet. Set one to be warned before the month costs more than planned.',
      removeBudgetLabel: 'Remove budget ({{scope}})',
      removeBudget: 'Remove budget',
      setBudget: 'Set budget',
      budgetBar: {
        ownerScope: 'Everything {{owner}} owns',
        allEnvironments: 'All environments',
        label: '{{scope}}: {{spent}} of {{amount}} spent',
        summary: '{{scope}}: {{spent}} of {{amount}} ({{percent}}%)',
        summaryFromConfig:
          '{{scope}}: {{spent}} of {{amount}} ({{percent}}%) · set in app-config',
        forecast:
          'Forecast {{forecast}} by the end of the month. Warns at {{thresholds}}.',
        forecastExceeds:
          'Forecast {{forecast}} by the end of the month: will exceed the budget on {{day}}. Warns at {{thresholds}}.',
        threshold: '{{percent}}%',
        hardCap_one:
          'Hard cap: the autoscaler runs at most {{count}} instance for the rest of the month.',
        hardCap_other:
          'Hard cap: the autoscaler runs at most {{count}} instances for the rest of the month.',
        hardCapUncapped:
          'Hard cap: the autoscaler runs at most as many instances for the rest of the month.',
      },
      budgetDialog: {
        ownerTitle: 'Set the monthly budget of {{owner}}',
        title: 'Set a monthly budget',
        save: 'Save budget',
        saved: 'Budget saved',
        ownerIntro:
          "One budget for the spend of every component {{owner}} owns, in all environments. Owners are warned when the month's spend, or its forecast, crosses a threshold. A hard cap also limits how many instances the autoscaler runs.",
        intro:
          "Owners are warned when the month's spend, or its forecast, crosses a threshold. A hard cap also limits how many instances the autoscaler runs.",
        environment: 'Environment',
        allEnvironments: 'All environments',
        amount: 'Amount per month ({{currency}})',
        amountProblem:
          'Enter an amount more than 0 with at most two decimals, e.g. 250 or 99.50',
        thresholds: 'Warn at (percent of the budget)',
        thresholdsHelp: 'Comma-separated, ascending, e.g. 75, 90, 100',
        thresholdsProblem:
          'Write ascending percentages between 1 and 200, e.g. 75, 90, 100',
        hardCap:
          'Hard cap: never run more instances than the rest of the budget pays for',
      },
      removeDialog: {
        title: 'Remove this budget?',
        confirm: 'Remove budget',
        removed: 'Budget removed',
        ownerBudget: 'The budget of everything {{owner}} owns',
        entityBudget: 'The budget of {{entity}} ({{scope}})',
        consequence:
          '{{budget}} goes: no more warnings for it. Spend is still counted; you can set a budget again at any time.',
        consequenceWithCap:
          '{{budget}} goes: no more warnings for it, and its hard cap no longer limits the autoscaler. Spend is still counted; you can set a budget again at any time.',
      },
      rightSizing: {
        title: 'Right-sizing',
        advice: '{{environment}}: {{summary}}.',
        evidence:
          'From {{samples}} five-minute averages over {{days}} days: CPU p50 {{cpuP50}}%, p95 {{cpuP95}}% of {{vcpus}} vCPU; memory p95 {{memoryP95}} MiB of {{memoryCapacity}} MiB. Change resources.size in coderunner.yaml to apply it.',
      },
    },
    alertsList: {
      severity: {
        critical: 'Critical',
        warning: 'Warning',
        info: 'Info',
      },
      resolved: 'Resolved',
      opened: 'Opened {{when}}',
      resolvedAt: ', resolved {{when}}',
      stillSeen: ', still seen {{when}}',
      title: 'Alerts',
      subheader: 'Open and recently resolved, newest first',
      open: 'Open alerts',
      resolvedLabel: 'Resolved alerts',
      noneOpen:
        'No open alerts: every rule is satisfied. The owners are notified when one fires.',
      noneOpenAnywhere: 'No open alerts in the deployments you can see.',
    },
    overviewCard: {
      title: 'CodeRunner',
      aboutManifest: 'About coderunner.yaml',
      noManifest: 'This component has no coderunner.yaml at {{path}}.',
      addManifest: 'Add one to deploy it with CodeRunner.',
      noDeployments:
        'No deployments yet. This component is ready to deploy to {{environments}} from its Deployments tab.',
      openDeploymentsTab: 'Open the Deployments tab',
      /** Joins the last two environments of a list: "development, staging or production". */
      or: 'or',
      tableLabel: 'Deployments',
      notDeployed: 'Not deployed',
      release: 'Release {{number}}',
      ready: '{{ready}} of {{desired}} ready',
      traffic: '{{errors}} errors (last 5 min)',
      trafficWithP95: '{{errors}} errors, p95 {{p95}} (last 5 min)',
      noTraffic: 'no traffic in the last 5 min',
    },
    statusLabel: {
      deployment: {
        pending: 'Pending',
        deploying: 'Deploying',
        ready: 'Ready',
        degraded: 'Degraded',
        failed: 'Failed',
        stopped: 'Stopped',
      },
      instance: {
        provisioning: 'Provisioning',
        starting: 'Starting',
        ready: 'Ready',
        unhealthy: 'Unhealthy',
        crashed: 'Crashed',
        draining: 'Draining',
        stopped: 'Stopped',
      },
      release: {
        pending: 'Pending',
        building: 'Building',
        built: 'Built',
        failed: 'Failed',
        superseded: 'Superseded',
      },
    },
    permittedButton: {
      deploy:
        'Only the owners of this component (and CodeRunner operators) may deploy, roll back, restart, stop or delete it',
      configWrite:
        'Only the owners of this component (and CodeRunner operators) may change its configuration',
      scalingWrite:
        'Only the owners of this component (and CodeRunner operators) may change its scaling',
      exec: 'Only the owners of this component (and CodeRunner operators) may open a terminal in its instances',
      revealSecrets:
        'Only the owners of this component (and CodeRunner operators) may see secret values',
    },
    manifestMissingState: {
      title: 'This component has no coderunner.yaml',
      notFound:
        "CodeRunner found no manifest at {{path}} in this component's source.",
      addOne:
        "Add one like the example below at {{path}} and commit it; CodeRunner reads it from the component's source.",
      readDocs: 'Read docs/manifest.md',
    },
    configTab: {
      sharedScope: 'Shared (all environments)',
      overrideOrder: 'Override order, lowest first: {{order}}.',
      addVariable: 'Add variable',
      editAsEnv: 'Edit as .env',
      templates: 'Templates',
      import: 'Import',
      export: 'Export',
      table: {
        title: 'Variables of {{scope}}',
        titleShared: 'Variables of every environment',
        empty:
          'Nothing set in {{scope}} yet. Add a variable, apply a template or import a .env file.',
        name: 'Name',
        value: 'Value',
        updated: 'Updated',
        unsavedChange: 'Unsaved change',
        actions: 'Actions',
        newSecret: 'secret (new value, unsaved)',
        savedSecret: 'secret · set · {{fingerprint}}',
        updatedBy: '{{when}} by {{who}} (v{{version}})',
        toDelete: 'to delete',
        changed: 'changed',
        new: 'new',
        edit: 'Edit',
        undo: 'Undo',
        delete: 'Delete',
        reveal: 'Reveal',
      },
      message: {
        label: 'What changed and why',
        ariaLabel: 'Change message',
      },
      saveWithoutApplying: 'Save without applying',
      saveAndApply: 'Save and apply',
      unsavedChanges_one: '{{count}} unsaved change: {{changes}}',
      unsavedChanges_other: '{{count}} unsaved changes: {{changes}}',
      unsavedChangeItem: '{{name}} ({{scope}})',
      saved: 'Saved version {{version}}',
      savedAndRolling: 'Saved version {{version}}; rolling out to {{rollouts}}',
      rolloutItem: '{{environment}} (release {{releaseNumber}})',
      applying: 'Applying to {{environment}}: release {{releaseNumber}}',
      applyTo: 'Apply to {{environment}}',
      pending:
        'Version {{version}} is saved but not running in {{environments}}.',
      dialogs: {
        cancel: 'Cancel',
        close: 'Close',
        addToChanges: 'Add {{number}} to changes',
        format: 'Format',
      },
      variableDialog: {
        addTitle: 'Add a variable ({{scope}})',
        editTitle: 'Edit {{name}} ({{scope}})',
        name: 'Name',
        nameHelp: 'Letters, digits and underscores, e.g. DATABASE_URL',
        nameTaken: '{{name}} is already set here; edit it instead',
        value: 'Value',
        secretValue: 'Secret value',
        replaceSecretHelp:
          'Write-only: enter a new value to replace the stored one',
        newSecretHelp:
          'Write-only: nobody sees it again without the reveal permission',
        secret: 'Secret (encrypted, write-only, redacted from logs)',
        addToChanges: 'Add to changes',
      },
      importDialog: {
        bulkTitle: 'Edit {{scope}} as .env',
        importTitle: 'Import into {{scope}}',
        bulkDescription:
          'Plain variables are listed with their values. Secrets are not shown: a line for one replaces its value, and removing a secret needs a delete in the table.',
        chooseFile: 'Choose a file',
        asSecrets: 'Import as secrets',
        content: 'Content',
        problem: 'Line {{line}}: {{message}}',
        nothingChanges: 'Nothing would change.',
        unchanged: 'Unchanged: {{names}}',
        preview: 'Preview',
      },
      templateDialog: {
        title: 'Apply a template to {{scope}}',
        template: 'Template',
        description: '{{description}} Required: {{names}}.',
        allSet: 'Every variable of this template is already set.',
        fillIn: '{{problem}} — fill it in after adding.',
      },
      exportDialog: {
        title: 'Export {{scope}}',
        includeSecrets: 'Include secret values (audited)',
        includeSecretsRefused: 'Include secret values: {{reason}}',
        omittedSecrets: 'Secret values left out: {{names}}',
        export: 'Export',
        download: 'Download',
      },
      revealDialog: {
        title: 'Reveal {{name}}',
        confirm: 'Reveal',
        question:
          'Show the value of the secret {{name}} in {{scope}}? The reveal is recorded in the audit trail.',
      },
      versions: {
        title: 'Versions',
        empty: 'No versions yet: saving a change creates version 1.',
        version: 'Version',
        when: 'When',
        who: 'Who',
        message: 'Message',
        changed: 'Changed',
        actions: 'Actions',
        rollbackOf: 'Roll back to {{version}}',
        changeItem: '{{name}} ({{scope}}, {{change}})',
        diff: 'Diff',
        diffTitle: 'Version {{version}} compared with {{previous}}',
        noDifferences: 'No differences.',
        rollBackToThis: 'Roll back to this version',
        rollbackTitle: 'Roll back to version {{version}}',
        rollbackConfirm: 'Roll back',
        rollbackQuestion:
          'Make version {{version}} current again, as a new version?',
      },
      audit: {
        title: 'History',
        empty: 'Nothing has happened yet.',
        when: 'When',
        who: 'Who',
        action: 'Action',
        version: 'Version',
        where: 'Where',
        names: 'Names',
      },
      preview: {
        secretName: '{{name}} (secret)',
        secretChanged: 'secret value changed',
        before: 'was "{{value}}"',
        after: 'now "{{value}}"',
      },
      encryption: {
        unavailable: 'Encryption status unavailable: {{problem}}',
        activeKey:
          'Stored values are encrypted with AES-256-GCM under key {{key}}.',
        activeKeyOfMany:
          'Stored values are encrypted with AES-256-GCM under key {{key}} ({{keys}} keys configured).',
        developmentKey:
          'A generated development key is in use. Set coderunner.config.encryptionKeys in app-config before storing real secrets.',
        reencrypting:
          'Re-encrypting under {{key}}: {{done}} of {{total}} values ({{percent}}%).',
        reencryptingPaused:
          'Re-encrypting under {{key}}: {{done}} of {{total}} values ({{percent}}%); the next run of the rotation task continues.',
        progress: 'Key rotation progress',
        lastError: 'The last rotation run failed: {{error}}',
      },
    },
    logsTab: {
      filters: {
        environment: 'Environment',
        instance: 'Instance',
        release: 'Release',
        stream: 'Stream',
        level: 'Level',
        time: 'Time',
        allInstances: 'All instances',
        allReleases: 'All releases',
        allStreams: 'All streams',
        allLevels: 'All levels',
        releaseOption: 'Release {{number}} ({{status}})',
        levelAndAbove: '{{level}} and above',
        allTime: 'All time',
        last15Minutes: 'Last 15 minutes',
        lastHour: 'Last hour',
        last24Hours: 'Last 24 hours',
      },
      search: {
        label: 'Search',
        ariaLabel: 'Search logs',
        searching: 'Searching…',
        failed: 'Search failed: {{message}}',
        previousMatch: 'Previous match',
        nextMatch: 'Next match',
      },
      jumpToTime: {
        label: 'Jump to time',
        go: 'Go',
        nothingAfter: 'Nothing was written at or after {{time}}.',
      },
      following: 'Following',
      paused: 'Paused',
      backToTail: 'Back to the live tail',
      newLines: '{{number}} new lines',
      loadEarlier: 'Load earlier lines',
      loadingEarlier: 'Loading…',
      copy: 'Copy',
      downloadText: 'Download .log',
      downloadNdjson: 'Download NDJSON',
      searchCount: '{{current}} of {{total}}',
      searchCountMore: '{{current}} of {{total}}+',
      lines: {
        shown: '{{lines}} lines',
        shownWithDropped:
          '{{lines}} lines ({{dropped}} older lines dropped here; load them again or download)',
        inHistory: 'Lines {{first}}–{{last}} of the history: {{shown}}',
      },
      connection: {
        live: 'Live',
        connecting: 'Connecting…',
        reconnecting: 'Reconnecting… (resumes where it stopped)',
      },
      notDeployed: {
        title: 'Not deployed to {{environment}} yet',
        description:
          'Deploy it from the Deployments tab; its build and runtime logs appear here live.',
      },
    },
    globalPage: {
      title: 'CodeRunner',
      subtitle: 'Deploy, watch, configure and scale catalog components',
      emptyTitle: 'No deployments yet',
      emptyDescription:
        'Deployments of every component will be listed here. To deploy one, open a component with a coderunner.yaml in the catalog and use its Deployments tab.',
      filters: {
        search: 'Search components',
        environment: 'Environment',
        status: 'Status',
        all: 'All',
      },
      table: {
        title: 'Deployments',
        component: 'Component',
        environment: 'Environment',
        status: 'Status',
        url: 'URL',
        release: 'Release',
        instances: 'Instances',
        instancesCount: '{{ready}} ready / {{desired}} desired',
        instancesHelp: '{{ready}} of {{desired}} desired instances ready',
        deployed: 'Deployed',
        deployedBy: 'by {{user}}, {{when}}',
        noMatch: 'No deployments match these filters.',
        pages: 'Deployment pages',
        previous: 'Previous',
        page: 'Page {{number}}',
        next: 'Next',
      },
      spend: {
        title: 'Spend this month',
        subheader: '{{spent}} so far, {{forecast}} forecast for {{period}}',
        nothingSpent: 'Nothing spent this month on the components you may see.',
        tableLabel: 'Spend this month by team and environment',
        team: 'Team',
        total: 'Total',
        forecast: 'Forecast',
      },
      ownerBudgets: {
        title: 'Team budgets',
        description:
          "A team's budget sums the spend of every component it owns, in all environments.",
        refused:
          'You may not set or remove the budget of {{owner}} (under the shipped policy only CodeRunner operators may)',
        noBudget: '{{owner}}: no budget',
        setBudget: 'Set budget',
        setBudgetLabel: 'Set budget of {{owner}}',
        changeBudget: 'Change budget',
        changeBudgetLabel: 'Change budget of {{owner}}',
        removeBudget: 'Remove budget',
        removeBudgetLabel: 'Remove budget of {{owner}}',
      },
    },
    /** `formatWhen`: how long ago (or until) a time is, in the app's language. */
    formatWhen: {
      justNow: 'just now',
      seconds: '{{seconds, relativetime(range: second; numeric: auto)}}',
      minutes: '{{minutes, relativetime(range: minute; numeric: auto)}}',
      hours: '{{hours, relativetime(range: hour; numeric: auto)}}',
      days: '{{days, relativetime(range: day; numeric: auto)}}',
    },
    displayUser: {
      /** Who did something when no one is recorded. */
      unknown: 'unknown',
    },
    errorTitle: {
      /** An error panel's headline for a backend answer: its status, then the backend's message. */
      withCause: '{{message}}: {{cause}}',
    },
    /**
     * A day of the month, "the 23rd", by English ordinal category (1st, 2nd, 3rd, 4th…); in a
     * language without ordinal endings all four read the same.
     */
    dayOfMonth: {
      one: 'the {{day}}st',
      two: 'the {{day}}nd',
      few: 'the {{day}}rd',
      other: 'the {{day}}th',
    },
  },
});

/** The translation function of {@link coderunnerTranslationRef}, for helpers that build text. */
export type CoderunnerTranslate = TranslationFunction<
  typeof coderunnerTranslationRef.T
>;

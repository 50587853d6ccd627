import {
  createTranslationRef,
  TranslationFunction,
} from '@backstage/core-plugin-api/alpha';

/**
 * The user-facing text of CodeRunner, for an app to translate or reword with
 * `createTranslationMessages` / `createTranslationResource`. The Logs tab's text is here so
 * far; the other tabs follow.
 *
 * @alpha
 */
export const coderunnerTranslationRef = createTranslationRef({
  id: 'coderunner',
  messages: {
    autoscalingTab: {
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
      notDeployed: {
        title: 'Not deployed to {{environment}} yet',
        description:
          'Deploy it from the Deployments tab; its build and runtime logs appear here live.',
      },
    },
  },
});

/** The translation function of {@link coderunnerTranslationRef}, for helpers that build text. */
export type CoderunnerTranslate = TranslationFunction<
  typeof coderunnerTranslationRef.T
>;

import { createTranslationRef } from '@backstage/core-plugin-api/alpha';

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

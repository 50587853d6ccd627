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

import {
  ConfigChange,
  ConfigVariable,
} from '@coderunner/plugin-coderunner-common';

/** Unsaved changes, by scope and name; the last change of a variable wins. */
export type Draft = Map<string, ConfigChange>;

export const draftKey = (scope: string, name: string) => `${scope}/${name}`;

/** The draft with more changes added. */
export function withChanges(draft: Draft, changes: ConfigChange[]): Draft {
  const next = new Map(draft);
  for (const change of changes)
    next.set(draftKey(change.scope, change.name), change);
  return next;
}

/** A row of the table: the saved variable, the unsaved change to it, or both. */
export interface DraftRow {
  name: string;
  saved?: ConfigVariable;
  change?: ConfigChange;
}

/** The rows of one scope: saved variables overlaid with the draft, by name. */
export function rowsOf(
  scope: string,
  saved: ConfigVariable[],
  draft: Draft,
): DraftRow[] {
  const rows = new Map<string, DraftRow>(
    saved.map(v => [v.name, { name: v.name, saved: v }]),
  );
  for (const change of draft.values()) {
    if (change.scope === scope) {
      rows.set(change.name, {
        ...rows.get(change.name),
        name: change.name,
        change,
      });
    }
  }
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
}

import { LineRedactor } from './LogWriter';

/**
 * Gives the secret values of a deployment that must never appear in its logs. Called often
 * (the answer is kept for a second), so it should answer from memory.
 *
 * @internal
 */
export type SecretSource = (deploymentId: string) => string[];

/** What replaces a secret value in a log line. */
export const REDACTED = '[redacted]';

// Shorter values would blank out ordinary words; such values are not secrets worth the name.
const MIN_SECRET_LENGTH = 4;
const CACHE_MS = 1000;

/**
 * Replaces secret values in log lines before they are stored (and so before they are
 * streamed or downloaded). Capabilities that know secrets register a source:
 *
 * ```ts
 * logRedactor.registerSecretSource(deploymentId => secrets.valuesOf(deploymentId));
 * ```
 *
 * After a secret changes, call `forget(deploymentId)` so the next line uses the new values.
 *
 * @internal
 */
export class LogRedactor {
  private readonly sources: SecretSource[] = [];
  private readonly cache = new Map<
    string,
    { pattern?: RegExp; expires: number }
  >();

  /** Adds a source of secret values; returns a function that removes it again. */
  registerSecretSource(source: SecretSource): () => void {
    this.sources.push(source);
    this.cache.clear();
    return () => {
      this.sources.splice(this.sources.indexOf(source), 1);
      this.cache.clear();
    };
  }

  /** Drops what is known about a deployment's secrets, e.g. after they changed. */
  forget(deploymentId: string) {
    this.cache.delete(deploymentId);
  }

  redact(deploymentId: string, line: string): string {
    const pattern = this.patternFor(deploymentId);
    return pattern ? line.replace(pattern, REDACTED) : line;
  }

  /** The hook the log writers call. */
  readonly lineRedactor: LineRedactor = (deploymentId, line) =>
    this.redact(deploymentId, line);

  private patternFor(deploymentId: string): RegExp | undefined {
    if (this.sources.length === 0) return undefined;
    const now = Date.now();
    const cached = this.cache.get(deploymentId);
    if (cached && cached.expires > now) return cached.pattern;
    const values = new Set<string>();
    for (const source of this.sources) {
      for (const value of source(deploymentId)) {
        if (value.length >= MIN_SECRET_LENGTH) values.add(value);
      }
    }
    // Longest first, so a secret that contains another is replaced whole.
    const sorted = [...values].sort((a, b) => b.length - a.length);
    const pattern = sorted.length
      ? new RegExp(
          sorted.map(v => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
          'g',
        )
      : undefined;
    this.cache.set(deploymentId, { pattern, expires: now + CACHE_MS });
    return pattern;
  }
}

import { Duration } from 'cdk8s';

/** A PromQL duration string for a Duration (`30s`, `5m`, `2h`). */
export function promDuration(d: Duration): string {
  const ms = d.toMilliseconds();
  if (ms % 1000 !== 0) return `${ms}ms`;
  const s = ms / 1000;
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** The operator's duration pattern (rule 41). */
export function isPromDuration(s: string): boolean {
  return /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/.test(s) && s !== '';
}

import { Duration } from 'cdk8s';

/** A Go `time.Duration` string (what `metav1.Duration` fields parse), e.g. `1h30m`, `45s`. */
export function toGoDuration(d: Duration): string {
  let s = Math.round(d.toMilliseconds());
  const ms = s % 1000;
  s = Math.floor(s / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  let out = '';
  if (h) out += `${h}h`;
  if (m) out += `${m}m`;
  if (sec) out += `${sec}s`;
  if (ms) out += `${ms}ms`;
  return out || '0s';
}

import { PropProblem } from '../common/errors';
import { isDnsLabel } from '../common/names';
import { envProblems } from './pod';
import {
  AsyncServingOptions, AsyncWorkload, KedaHttpServingOptions, KnativeServingOptions, ScalingRules, ServingOptions, TrafficTarget,
} from './serving';

// The checks behind Serving.validate(): one function per engine, props relative to `serving`.
function count(prop: string, v: number | undefined, min: number, code = 'OFN_SCALE'): PropProblem[] {
  if (v === undefined || (Number.isInteger(v) && v >= min)) return [];
  return [{ code, prop, value: v, problem: `must be a whole number of at least ${min}`, fix: `give ${min} or more` }];
}

export function commonProblems(o: ServingOptions): PropProblem[] {
  const problems: PropProblem[] = [];
  const port = o.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    problems.push({ code: 'OFN_PORT', prop: 'port', value: port, problem: 'is not a port number from 1 to 65535', fix: 'give the port the function listens on, e.g. 8080' });
  }
  problems.push(...envProblems('env', o.env));
  if (o.serviceAccountName !== undefined && !isDnsLabel(o.serviceAccountName)) {
    problems.push({ code: 'OFN_NAME', prop: 'serviceAccountName', value: o.serviceAccountName, problem: 'is not a valid ServiceAccount name', fix: 'use lower-case letters, digits and "-"' });
  }
  return problems;
}


function minMax(minProp: string, min: number | undefined, maxProp: string, max: number | undefined): PropProblem[] {
  if (min === undefined || max === undefined || min <= max) return [];
  return [{ code: 'OFN_SCALE', prop: minProp, value: min, problem: `is greater than ${maxProp} (${max})`, fix: `lower ${minProp} or raise ${maxProp}` }];
}

export function knativeProblems(o: KnativeServingOptions): PropProblem[] {
  const problems = [
    ...count('minScale', o.minScale, 0), ...count('maxScale', o.maxScale, 1), ...count('initialScale', o.initialScale, 0),
    ...count('containerConcurrency', o.containerConcurrency, 0),
    ...minMax('minScale', o.minScale, 'maxScale', o.maxScale),
  ];
  if (o.target !== undefined && !(o.target > 0)) {
    problems.push({ code: 'OFN_TARGET', prop: 'target', value: o.target, problem: 'must be greater than zero', fix: 'give the requests (or the metric value) one replica should handle, e.g. 50' });
  }
  if (o.targetUtilizationPercentage !== undefined && !(o.targetUtilizationPercentage > 0 && o.targetUtilizationPercentage <= 100)) {
    problems.push({ code: 'OFN_TARGET', prop: 'targetUtilizationPercentage', value: o.targetUtilizationPercentage, problem: 'must be above 0 and at most 100', fix: 'give a percentage, e.g. 70' });
  }
  for (const prop of ['timeout', 'window'] as const) {
    const d = o[prop];
    if (d !== undefined && !(d.toMilliseconds() > 0)) problems.push({ code: 'OFN_DURATION', prop, value: `${d.toSeconds()}s`, problem: 'must be longer than zero', fix: 'give a positive duration' });
  }
  if (o.scaleDownDelay !== undefined && !(o.scaleDownDelay.toMilliseconds() >= 0 && o.scaleDownDelay.toSeconds() <= 3600)) {
    problems.push({ code: 'OFN_DURATION', prop: 'scaleDownDelay', value: `${o.scaleDownDelay.toSeconds()}s`, problem: 'must be from 0 to 1 hour', fix: 'give a duration of at most Duration.hours(1)' });
  }
  for (const key of Object.keys(o.annotations ?? {})) {
    const legacy = LEGACY_KNATIVE_ANNOTATIONS[key];
    if (legacy) {
      problems.push({ code: 'OFN_KNATIVE_ANNOTATION', prop: `annotations.${key}`, value: key, problem: `is the old spelling of ${legacy.annotation}, which the library sets; Knative rejects a revision that carries both`, fix: `use the ${legacy.prop} option` });
    }
  }
  problems.push(...trafficProblems(o.traffic));
  return problems;
}

// Knative rejects a revision carrying two spellings of one key; these the library always writes (min-scale) or writes from options.
const LEGACY_KNATIVE_ANNOTATIONS: Record<string, { annotation: string; prop: string }> = {
  'autoscaling.knative.dev/minScale': { annotation: 'autoscaling.knative.dev/min-scale', prop: 'minScale' },
  'autoscaling.knative.dev/maxScale': { annotation: 'autoscaling.knative.dev/max-scale', prop: 'maxScale' },
  'autoscaling.knative.dev/initialScale': { annotation: 'autoscaling.knative.dev/initial-scale', prop: 'initialScale' },
  'autoscaling.knative.dev/scaleDownDelay': { annotation: 'autoscaling.knative.dev/scale-down-delay', prop: 'scaleDownDelay' },
  'autoscaling.knative.dev/targetUtilizationPercentage': { annotation: 'autoscaling.knative.dev/target-utilization-percentage', prop: 'targetUtilizationPercentage' },
};

function trafficProblems(traffic: TrafficTarget[] | undefined): PropProblem[] {
  if (!traffic) return [];
  const problems: PropProblem[] = [];
  if (traffic.length === 0) {
    problems.push({ code: 'OFN_TRAFFIC', prop: 'traffic', value: traffic, problem: 'is empty', fix: 'leave traffic out for all traffic to the latest revision, or list targets adding up to 100' });
    return problems;
  }
  const tags = new Set<string>();
  for (const [i, t] of traffic.entries()) {
    if (!(Number.isInteger(t.percent) && t.percent >= 0 && t.percent <= 100)) {
      problems.push({ code: 'OFN_TRAFFIC', prop: `traffic[${i}].percent`, value: t.percent, problem: 'must be a whole number from 0 to 100', fix: 'give a whole percentage' });
    }
    if (t.revisionName !== undefined && !isDnsLabel(t.revisionName)) {
      problems.push({ code: 'OFN_TRAFFIC', prop: `traffic[${i}].revisionName`, value: t.revisionName, problem: 'is not a revision name', fix: "use a revision's name, e.g. an earlier synth's function.revisionName" });
    }
    if (t.tag !== undefined) {
      if (!isDnsLabel(t.tag)) problems.push({ code: 'OFN_TRAFFIC', prop: `traffic[${i}].tag`, value: t.tag, problem: 'is not a DNS-1123 label', fix: 'use lower-case letters, digits and "-"' });
      if (tags.has(t.tag)) problems.push({ code: 'OFN_TRAFFIC', prop: `traffic[${i}].tag`, value: t.tag, problem: 'is used by another target', fix: 'give each target its own tag' });
      tags.add(t.tag);
    }
  }
  const sum = traffic.reduce((s, t) => s + (Number.isFinite(t.percent) ? t.percent : 0), 0);
  if (sum !== 100) {
    problems.push({ code: 'OFN_TRAFFIC', prop: 'traffic', value: traffic.map((t) => t.percent), problem: `percentages add up to ${sum}, not 100`, fix: 'make the percentages add up to exactly 100' });
  }
  return problems;
}

export function kedaProblems(o: KedaHttpServingOptions): PropProblem[] {
  const problems = [
    ...count('minReplicas', o.minReplicas, 0), ...count('maxReplicas', o.maxReplicas, 1),
    ...count('targetPendingRequests', o.targetPendingRequests, 1, 'OFN_TARGET'),
    ...minMax('minReplicas', o.minReplicas, 'maxReplicas', o.maxReplicas ?? 10),
  ];
  if (!(o.hosts?.length) && !(o.pathPrefixes?.length)) {
    problems.push({ code: 'OFN_KEDA_ROUTE', prop: 'hosts', value: o.hosts, problem: 'and pathPrefixes are both empty, so the KEDA HTTP interceptor routes nothing to the function', fix: "give hosts (e.g. ['hello.fn.example.com']) or pathPrefixes (e.g. ['/hello'])" });
  }
  for (const [i, h] of (o.hosts ?? []).entries()) {
    if (!/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(h)) {
      problems.push({ code: 'OFN_KEDA_ROUTE', prop: `hosts[${i}]`, value: h, problem: 'is not a host name', fix: 'give a lower-case DNS name, e.g. hello.fn.example.com' });
    }
  }
  for (const [i, p] of (o.pathPrefixes ?? []).entries()) {
    if (!p.startsWith('/') || /\s/.test(p)) problems.push({ code: 'OFN_KEDA_ROUTE', prop: `pathPrefixes[${i}]`, value: p, problem: "is not an absolute path starting with '/'", fix: 'give a path like /hello' });
  }
  if (o.scaledownPeriod !== undefined && !(o.scaledownPeriod.toMilliseconds() >= 0)) {
    problems.push({ code: 'OFN_DURATION', prop: 'scaledownPeriod', value: `${o.scaledownPeriod.toSeconds()}s`, problem: 'must not be negative', fix: 'give a duration, e.g. Duration.minutes(5)' });
  }
  return problems;
}

const DEPLOYMENT_ONLY = ['cooldownPeriod', 'advanced', 'fallback'] as const;
const JOB_ONLY = ['restartPolicy', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'scalingStrategy'] as const;

function scalingRulesProblems(prop: string, r: ScalingRules | undefined): PropProblem[] {
  const problems: PropProblem[] = [];
  if (!r) return problems;
  const w = r.stabilizationWindow?.toSeconds();
  if (w !== undefined && !(w >= 0 && w <= 3600)) problems.push({ code: 'OFN_KEDA_ADVANCED', prop: `${prop}.stabilizationWindow`, value: `${w}s`, problem: 'must be from 0 to 1 hour', fix: 'give at most Duration.hours(1)' });
  for (const [i, p] of (r.policies ?? []).entries()) {
    if (!(Number.isInteger(p.value) && p.value > 0)) problems.push({ code: 'OFN_KEDA_ADVANCED', prop: `${prop}.policies[${i}].value`, value: p.value, problem: 'must be a whole number above 0', fix: 'give how many pods (or percent) per period' });
    if (!(p.period.toSeconds() > 0 && p.period.toSeconds() <= 1800)) problems.push({ code: 'OFN_KEDA_ADVANCED', prop: `${prop}.policies[${i}].period`, value: `${p.period.toSeconds()}s`, problem: 'must be above 0 and at most 30 minutes', fix: 'give e.g. Duration.seconds(60)' });
  }
  return problems;
}

export function asyncProblems(o: AsyncServingOptions): PropProblem[] {
  const problems = [
    ...count('minReplicas', o.minReplicas, 0), ...count('maxReplicas', o.maxReplicas, 1),
    ...minMax('minReplicas', o.minReplicas, 'maxReplicas', o.maxReplicas ?? 10),
    ...count('successfulJobsHistoryLimit', o.successfulJobsHistoryLimit, 0, 'OFN_HISTORY_LIMIT'),
    ...count('failedJobsHistoryLimit', o.failedJobsHistoryLimit, 0, 'OFN_HISTORY_LIMIT'),
  ];
  if (!o.triggers?.length) {
    problems.push({ code: 'OFN_ASYNC_TRIGGERS', prop: 'triggers', value: o.triggers, problem: 'is empty: an async function runs when a Dapr component triggers it', fix: 'give at least one trigger, e.g. [{ component: ordersBinding }]' });
  }
  const job = o.workload === AsyncWorkload.JOB;
  for (const prop of job ? DEPLOYMENT_ONLY : JOB_ONLY) {
    if (o[prop] !== undefined) {
      problems.push({ code: 'OFN_ASYNC_WORKLOAD', prop, value: o[prop], problem: `applies only to ${job ? 'Deployment' : 'Job'} workloads, but the workload is ${job ? 'Job (ScaledJob)' : 'Deployment (ScaledObject)'}`, fix: job ? `drop ${prop}` : `drop ${prop} or set workload: AsyncWorkload.JOB` });
    }
  }
  if ((o.restartPolicy as string) === 'Always') {
    problems.push({ code: 'OFN_ASYNC_WORKLOAD', prop: 'restartPolicy', value: o.restartPolicy, problem: 'is not allowed for Jobs', fix: "use 'OnFailure' or 'Never'" });
  }
  for (const prop of ['pollingInterval', 'cooldownPeriod'] as const) {
    const d = o[prop];
    if (d !== undefined && !(d.toSeconds() >= 0 && Number.isInteger(d.toSeconds()))) problems.push({ code: 'OFN_DURATION', prop, value: `${d.toSeconds()}s`, problem: 'must be a whole number of seconds, not negative', fix: 'give e.g. Duration.seconds(30)' });
  }
  problems.push(...scalingRulesProblems('advanced.scaleUp', o.advanced?.scaleUp), ...scalingRulesProblems('advanced.scaleDown', o.advanced?.scaleDown));
  if (o.fallback) {
    problems.push(...count('fallback.failureThreshold', o.fallback.failureThreshold, 1, 'OFN_KEDA_FALLBACK'), ...count('fallback.replicas', o.fallback.replicas, 0, 'OFN_KEDA_FALLBACK'));
  }
  const ss = o.scalingStrategy;
  if (ss?.strategy === 'custom') {
    if (!(Number.isInteger(ss.customScalingQueueLengthDeduction) && ss.customScalingQueueLengthDeduction! >= 0)) {
      problems.push({ code: 'OFN_KEDA_STRATEGY', prop: 'scalingStrategy.customScalingQueueLengthDeduction', value: ss.customScalingQueueLengthDeduction, problem: 'is required for the custom strategy and must be 0 or more', fix: 'give a whole number' });
    }
    if (!/^([0-9.]+)[ ]*%$/.test(ss.customScalingRunningJobPercentage ?? '')) {
      problems.push({ code: 'OFN_KEDA_STRATEGY', prop: 'scalingStrategy.customScalingRunningJobPercentage', value: ss.customScalingRunningJobPercentage, problem: 'is required for the custom strategy as a percentage', fix: "give e.g. '50%'" });
    }
  }
  for (const [i, t] of (o.triggers ?? []).entries()) {
    if (t.lagThreshold !== undefined && !(Number.isInteger(t.lagThreshold) && t.lagThreshold > 0)) {
      problems.push({ code: 'OFN_TARGET', prop: `triggers[${i}].lagThreshold`, value: t.lagThreshold, problem: 'must be a whole number above 0', fix: 'give the backlog one replica should handle, e.g. 20' });
    }
  }
  for (const [i, t] of (o.kedaTriggers ?? []).entries()) {
    if (!t.type) problems.push({ code: 'OFN_KEDA_TRIGGER', prop: `kedaTriggers[${i}].type`, value: t.type, problem: 'is empty', fix: 'give the KEDA scaler type, e.g. kafka, cron, prometheus' });
  }
  return problems;
}

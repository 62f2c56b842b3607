import { contentHash, joinName } from '../common/names';

/**
 * The bus topic an event travels on, as OpenFunction names it: `<namespace>-<source>-<event>`.
 * OpenFunction's trigger handler derives the same name from its inputs, so the two must agree.
 */
export function eventTopic(namespace: string | undefined, source: string, event: string): string {
  return `${namespace ?? 'default'}-${source}-${event}`;
}

/** `name` if it fits in `max` characters, else its head with a hash of the whole (stable, unique). */
export function fitName(name: string, max = 63): string {
  return name.length <= max ? name : joinName(name, contentHash(name, 6), max);
}

/**
 * Name of the component through which `consumer` reads `topic`: one per consumer and topic, so
 * each has its own durable consumer (JetStream binds a durable consumer to a single subject).
 */
export function consumerComponentName(consumer: string, topic: string): string {
  return joinName(consumer, contentHash(topic, 6));
}

/**
 * The broker-side identity of a consumer component (Kafka consumer group, JetStream durable and
 * queue group): namespace-qualified, because one broker serves every namespace.
 */
export function consumerId(namespace: string | undefined, componentName: string): string {
  return `${namespace ?? 'default'}-${componentName}`;
}

/** CEL reserved words, which cannot name a trigger input. */
export const CEL_RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop',
  'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/** Whether `name` can name a trigger input (a CEL identifier that is not a reserved word). */
export function isInputName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !CEL_RESERVED.has(name);
}

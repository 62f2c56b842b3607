import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Component } from '../../imports/dapr.io';
import { AppRegistry } from '../common/app-registry';
import { PropChecks } from '../common/errors';
import { isDnsLabel } from '../common/names';
import { isObjectName } from '../common/refs';
import { SchemaValidation } from '../validation/validator';
import type { DaprOutput, DaprTrigger } from './usage';

/** A value from a key of a Kubernetes Secret; component secrets are always referenced. */
export interface SecretKeyRef {
  /** Secret name. */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** A component metadata value: a literal or a Secret reference. */
export type MetadataValue = string | { readonly secretKeyRef: SecretKeyRef };

/** Secret references for component metadata. */
export class DaprSecret {
  /** The value of `key` in Secret `name`. */
  public static fromSecret(name: string, key: string): { readonly secretKeyRef: SecretKeyRef } {
    return { secretKeyRef: { name, key } };
  }
}

/** What a component is for, from its type's prefix. */
export enum DaprBuildingBlock {
  BINDINGS = 'bindings',
  PUBSUB = 'pubsub',
  STATE = 'state',
  OTHER = 'other',
}

/** A Dapr component a function can use. */
export interface IDaprComponent {
  /** `metadata.name`: how functions and `FUNC_CONTEXT` refer to it. */
  readonly componentName: string;
  /** e.g. `bindings.kafka`. */
  readonly componentType: string;
  /** Namespace of the component. */
  readonly namespace?: string;
  /** The construct that emits it, when the app defines it. */
  readonly definition?: DaprComponent;
  /**
   * KEDA trigger that scales a function on this component's input (e.g. Kafka lag), if the
   * component kind has one.
   */
  kedaTrigger?(options: KedaTriggerOptions): KedaTriggerSpec | undefined;
}

/** Options a function gives when it is triggered by a component. */
export interface KedaTriggerOptions {
  /** Dapr app id of the function (Dapr's default consumer group for some components). */
  readonly appId: string;
  /** Pub-sub topic the function subscribes to. @default - the component's own topic, if it has one */
  readonly topic?: string;
  /** Scale out when the backlog per replica exceeds this (Kafka lag, stream pending entries...). @default 10 */
  readonly lagThreshold?: number;
}

/** A KEDA trigger derived from a component, plus the Secret keys its TriggerAuthentication maps. */
export interface KedaTriggerSpec {
  readonly type: string;
  readonly metadata: Record<string, string>;
  /** KEDA parameter -> Secret key, for a TriggerAuthentication. */
  readonly secretParameters?: Record<string, SecretKeyRef>;
}

/** Props of {@link DaprComponent}. */
export interface DaprComponentProps {
  /**
   * `metadata.name`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Component type, e.g. `bindings.kafka`, `pubsub.redis`, `state.postgresql`. */
  readonly type: string;
  /** @default 'v1' */
  readonly version?: string;
  /** Metadata items; Secret references for secrets. @default {} */
  readonly metadata?: Record<string, MetadataValue>;
  /**
   * How to derive a KEDA trigger from this component for functions it triggers.
   * @default - none: functions it triggers are not scaled by KEDA unless they give triggers
   */
  readonly kedaTrigger?: (options: KedaTriggerOptions) => KedaTriggerSpec | undefined;
  /** Whether a function reading it needs a topic (pub-sub). @default - true for `pubsub.*` */
  readonly requiresTopic?: boolean;
}

const registry = new AppRegistry<DaprComponent>();

/**
 * A Dapr Component (`dapr.io/v1alpha1`). Its `scopes` list exactly the functions that use it
 * (their Dapr app ids), filled in at synth. Typed factories for common kinds are on
 * {@link DaprComponents}; this class is the escape hatch for any component type.
 */
export class DaprComponent extends Construct implements IDaprComponent {
  /** A component that exists in the cluster already (not emitted; not scoped by this app). */
  public static existing(name: string, type: string, namespace?: string): IDaprComponent {
    return { componentName: name, componentType: type, namespace };
  }

  /** The component named `name` in `namespace` that the app of `scope` defines, if any. */
  public static tryFind(scope: IConstruct, name: string, namespace?: string): DaprComponent | undefined {
    return registry.get(scope, `${namespace ?? ''}/${name}`);
  }

  public readonly componentName: string;
  public readonly componentType: string;
  public readonly namespace?: string;
  public readonly definition: DaprComponent = this;
  public readonly buildingBlock: DaprBuildingBlock;
  /** Whether readers must name a topic. */
  public readonly requiresTopic: boolean;
  public readonly apiObject!: ApiObject;
  private readonly appIds = new Set<string>();
  private readonly triggerFn?: (options: KedaTriggerOptions) => KedaTriggerSpec | undefined;

  constructor(scope: Construct, id: string, props: DaprComponentProps) {
    super(scope, id);
    const chart = Chart.of(this);
    this.componentName = props.name ?? id;
    this.componentType = props.type;
    this.namespace = props.namespace ?? chart.namespace;
    const prefix = props.type.split('.')[0];
    this.buildingBlock = (Object.values(DaprBuildingBlock) as string[]).includes(prefix) ? prefix as DaprBuildingBlock : DaprBuildingBlock.OTHER;
    this.requiresTopic = props.requiresTopic ?? this.buildingBlock === DaprBuildingBlock.PUBSUB;
    this.triggerFn = props.kedaTrigger;

    const checks = new PropChecks(this);
    if (!isDnsLabel(this.componentName)) {
      checks.add('OFN_NAME', props.name === undefined ? 'name (from the construct id)' : 'name', this.componentName, 'is not a DNS-1123 label', 'pass name: lower-case letters, digits and "-"');
    }
    if (!/^[a-z0-9]+\.[a-z0-9.-]+$/.test(props.type ?? '')) {
      checks.add('OFN_DAPR_TYPE', 'type', props.type, 'is not a Dapr component type', 'give <building block>.<kind>, e.g. bindings.kafka, pubsub.redis, state.postgresql');
    }
    for (const [key, value] of Object.entries(props.metadata ?? {})) {
      if (typeof value === 'object' && !(isObjectName(value.secretKeyRef?.name ?? '') && value.secretKeyRef?.key)) {
        checks.add('OFN_SECRET_NAME', `metadata.${key}`, value, 'is not a valid Secret reference', 'use DaprSecret.fromSecret(secretName, key)');
      }
    }
    const key = `${this.namespace ?? ''}/${this.componentName}`;
    const existing = registry.get(this, key);
    if (existing) {
      checks.add('OFN_DAPR_DUPLICATE', 'name', this.componentName, `is already the name of ${existing.node.path} in namespace ${this.namespace ?? '(default)'}`, 'give each component in a namespace its own name');
    }
    if (checks.stop()) return;
    registry.set(this, key, this);

    this.apiObject = new Component(this, 'Resource', {
      metadata: { name: this.componentName, namespace: this.namespace, labels: { 'app.kubernetes.io/managed-by': 'openfunction-constructs' } },
      spec: {
        type: props.type,
        version: props.version ?? 'v1',
        metadata: Object.keys(props.metadata ?? {}).sort().map((name) => {
          const v = props.metadata![name];
          return typeof v === 'string' ? { name, value: v } as any : { name, secretKeyRef: v.secretKeyRef };
        }),
      },
      scopes: Lazy.any({ produce: () => (this.appIds.size ? [...this.appIds].sort() : undefined) }) as unknown as string[],
    });
    SchemaValidation.addTo(chart);
  }

  /** Scopes the component to a Dapr app id (called by functions that use it). */
  public addScope(appId: string): void {
    this.appIds.add(appId);
  }

  /** The Dapr app ids the component is scoped to. */
  public get scopes(): string[] {
    return [...this.appIds].sort();
  }

  public kedaTrigger(options: KedaTriggerOptions): KedaTriggerSpec | undefined {
    return this.triggerFn?.(options);
  }

  /** This component as a trigger of an async function: `Serving.async({ triggers: [orders.trigger({ lagThreshold: 20 })] })`. */
  public trigger(options: Omit<DaprTrigger, 'component'> = {}): DaprTrigger {
    return { ...options, component: this };
  }

  /** This component as an output of a function: `outputs: [sink.output({ operation: 'create' })]`. */
  public output(options: Omit<DaprOutput, 'component'> = {}): DaprOutput {
    return { ...options, component: this };
  }
}

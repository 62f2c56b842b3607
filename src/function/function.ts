import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { FunctionBuild, FunctionBuildOptions } from '../build/function-build';
import { PropChecks } from '../common/errors';
import { parseImageReference } from '../common/image';
import { isDnsLabel } from '../common/names';
import { SecretRef } from '../common/refs';
import { SchemaValidation } from '../validation/validator';
import { FunctionSource, LocalBundle, SourceType } from './source';

/** Props of {@link Function}. */
export interface FunctionProps extends FunctionBuildOptions {
  /**
   * Name of the function; names its objects (Build, BuildRun, Service...). A DNS-1123 label of at
   * most 52 characters.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the function's objects.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The function's image: what the build pushes and what serving runs. Leave it out only for
   * `source: FunctionSource.fromImage(...)`.
   */
  readonly image?: string;
  /**
   * Where the code comes from.
   * @default - no build: `image` is served as it is
   */
  readonly source?: FunctionSource;
  /**
   * Secret with registry credentials for `image` (`kubernetes.io/dockerconfigjson`): the build
   * pushes with it and the function's pods pull with it (OpenFunction's `imageCredentials`).
   * @default - none
   */
  readonly imageCredentials?: SecretRef;
  /**
   * Extra labels on every object of the function.
   * @default {}
   */
  readonly labels?: Record<string, string>;
}

const BUILD_ONLY_PROPS = [
  'builder', 'buildEnv', 'strategy', 'strategyParams', 'dockerfile', 'cacheImage', 'buildTimeout',
  'successfulBuildsHistoryLimit', 'failedBuildsHistoryLimit', 'buildRunMaxAge', 'buildNodeSelector', 'buildTolerations',
] as const;

/**
 * An OpenFunction function: built from source with Shipwright (when it has a source) and served
 * by the serving its props choose. Everything is decided at synth; no OpenFunction operator runs.
 */
export class Function extends Construct {
  /** The function's name. */
  public readonly functionName: string;
  /** The namespace of its objects (undefined: the namespace `kubectl` applies to). */
  public readonly namespace?: string;
  /** The image serving runs: the build output, or the prebuilt image. */
  public readonly image: string;
  /** The build, when the function has a source to build. */
  public readonly build?: FunctionBuild;
  /** Name of the Shipwright Build, when built. */
  public readonly buildName?: string;
  /** Name of the BuildRun of the current build inputs, when built. */
  public readonly buildRunName?: string;
  /** Bundle images to push before applying (local-directory sources). */
  public readonly bundles: LocalBundle[];
  /** The labels every object of the function carries. */
  public readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: FunctionProps = {}) {
    super(scope, id);
    const chart = Chart.of(this);
    this.functionName = props.name ?? id;
    this.namespace = props.namespace ?? chart.namespace;
    const checks = new PropChecks(this);

    if (!isDnsLabel(this.functionName) || this.functionName.length > 52) {
      checks.add('OFN_NAME', props.name === undefined ? 'name (from the construct id)' : 'name', this.functionName,
        'is not a DNS-1123 label of at most 52 characters', 'pass name: lower-case letters, digits and "-", starting and ending with a letter or digit');
    }
    if (this.namespace !== undefined && !isDnsLabel(this.namespace)) {
      checks.add('OFN_NAMESPACE', 'namespace', this.namespace, 'is not a DNS-1123 label', 'use lower-case letters, digits and "-"');
    }
    const prebuilt = props.source === undefined || props.source.type === SourceType.IMAGE;
    if (props.source?.type === SourceType.IMAGE) {
      checks.addAll(props.source.validate(), 'source');
      if (props.image !== undefined) {
        checks.add('OFN_IMAGE_TWICE', 'image', props.image, 'is given as well as a prebuilt source image', 'give the image once: either image or source: FunctionSource.fromImage(...)');
      }
    } else if (props.image === undefined) {
      checks.add('OFN_IMAGE_MISSING', 'image', undefined, props.source ? 'is required: it is the image the build pushes' : 'is required: a function needs an image to serve or a source to build',
        'give image (e.g. registry.example.com/demo/hello:v1), or source: FunctionSource.fromImage(...) for a prebuilt image');
    } else if (prebuilt && !parseImageReference(props.image)) {
      checks.add('OFN_IMAGE_REF', 'image', props.image, 'is not a valid image reference', 'use registry/repository[:tag][@sha256:digest]');
    }
    if (prebuilt) {
      for (const prop of BUILD_ONLY_PROPS) {
        if (props[prop] !== undefined) {
          checks.add('OFN_PREBUILT_WITH_BUILD', prop, props[prop], 'configures a build, but the function has no source to build (a prebuilt image)',
            `remove ${prop}, or give a source: FunctionSource.fromGit(...), fromBundle(...) or fromLocalDirectory(...)`);
        }
      }
    }
    checks.throwIfAny();

    this.labels = { 'openfunction.io/function': this.functionName, ...props.labels };
    if (!prebuilt) {
      this.build = new FunctionBuild(this, 'Build', {
        ...props,
        name: this.functionName,
        namespace: this.namespace,
        source: props.source!,
        image: props.image!,
        labels: this.labels,
      });
      this.image = this.build.image;
      this.buildName = this.build.buildName;
      this.buildRunName = this.build.buildRunName;
      this.bundles = this.build.bundles;
    } else {
      this.image = props.source ? props.source.bind().prebuiltImage! : props.image!;
      this.bundles = [];
    }
    SchemaValidation.addTo(chart);
  }
}

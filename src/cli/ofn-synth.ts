#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { App, Chart, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { throwIfInvalid, validationProblems } from '../common/errors';
import { Function } from '../function/function';
import { convert, parseDocuments } from '../migrate/convert';
import { MigrationError } from '../migrate/reader';
import { Footprint } from '../platform/footprint';
import { chartObjects } from '../validation/validator';
import { ManifestSource } from '../platform/manifest-source';
import { OpenFunctionPlatform, OpenFunctionPlatformProps } from '../platform/platform';
import { SizingProfile } from '../platform/sizing';
import { PlatformComponent, PlatformPreset } from '../platform/versions';

/** Where the command writes. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether to report progress on stderr (a terminal); quiet in pipes. @default false */
  readonly progress?: boolean;
}

const HELP = `ofn-synth: OpenFunction functions and platform, synthesized with openfunction-constructs

Usage:
  ofn-synth convert <file|dir|-> [-o <dir>]
      OpenFunction Function and Gateway YAML to this library's objects (multi-document YAML on
      stdout, or <dir>/<file>.k8s.yaml per input); warnings and errors on stderr
  ofn-synth images   [platform options] [--mirror <registry/prefix>]
      every image the platform uses, one per line (for mirroring)
  ofn-synth describe [platform options] [--app <module>]
      what an app creates (per function: build, serving, route, URL) and the platform footprint;
      <module> exports a function (app) => void that adds charts to a cdk8s App
  ofn-synth --help | --version

Platform options:
  --kubernetes-version <1.32|1.33|1.34>   (default 1.33)
  --components <a,b,...>                  PlatformComponent values, or all, sync, async (default all)
  --profile <small|default|ha>            sizing profile (default default)
  --manifests <dir>                       manifest mirror (default OFN_MANIFEST_MIRROR, else download)
`;

function version(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(path.join(__dirname, rel)).version;
    } catch {
      // try the next layout (src/ or lib/src/)
    }
  }
  return 'unknown';
}

function components(value: string | undefined): readonly PlatformComponent[] {
  if (!value || value === 'all') return PlatformPreset.ALL;
  if (value === 'sync') return PlatformPreset.SYNC_ONLY;
  if (value === 'async') return PlatformPreset.ASYNC_ONLY;
  return value.split(',').map((c) => c.trim() as PlatformComponent);
}

function cpu(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(2)} CPU` : `${m}m CPU`;
}

function memory(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}

function footprintLine(f: Footprint): string {
  return `${cpu(f.cpuRequestMillis)}, ${memory(f.memoryRequestBytes)} requested; ${memory(f.memoryLimitBytes)} memory limit; ${f.pods} pods`;
}

function describePlatform(p: OpenFunctionPlatform, io: CliIo): void {
  const fp = p.footprint();
  io.out(`platform ${p.node.path}: ${p.components.join(', ')} (sizing ${p.sizingProfile})\n`);
  for (const [component, f] of Object.entries(fp.components)) io.out(`  ${component.padEnd(18)} ${footprintLine(f)}\n`);
  io.out(`  ${'total'.padEnd(18)} ${footprintLine(fp.total)}; ${p.images().length} images\n`);
}

function describeFunction(fn: Function, io: CliIo): void {
  io.out(`function ${fn.namespace ?? 'default'}/${fn.functionName} (${fn.node.path})\n`);
  io.out(`  image    ${fn.image}\n`);
  if (fn.build) io.out(`  build    Build ${fn.buildName}, BuildRun ${fn.buildRunName}, strategy ${fn.build.strategy.kind} ${fn.build.strategy.strategyName}\n`);
  io.out(`  serving  ${fn.servingEngine}${fn.revisionName ? ` (revision ${fn.revisionName})` : ''}${fn.daprAppId ? `, Dapr app ${fn.daprAppId}` : ''}\n`);
  for (const a of fn.addresses) io.out(`  url      ${a.value} (${a.type})\n`);
  if (fn.appliedDefaults.length) io.out(`  defaults ${fn.appliedDefaults.join(', ')} (from FunctionDefaults)\n`);
  if (!fn.addresses.length && fn.internalUrl) io.out(`  url      ${fn.internalUrl} (Internal)\n`);
}

function inputsOf(args: string[]): { name: string; text: () => string }[] {
  if (!args.length) throw new Error('convert needs a file, a directory or - for stdin');
  return args.flatMap((arg) => {
    if (arg === '-') return [{ name: '<stdin>', text: () => fs.readFileSync(0, 'utf8') }];
    if (!fs.existsSync(arg)) throw new Error(`${arg}: no such file or directory`);
    if (fs.statSync(arg).isDirectory()) {
      return fs.readdirSync(arg).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => ({ name: path.join(arg, f), text: () => fs.readFileSync(path.join(arg, f), 'utf8') }));
    }
    return [{ name: arg, text: () => fs.readFileSync(arg, 'utf8') }];
  });
}

function convertCommand(args: string[], outdir: string | undefined, io: CliIo): number {
  let failed = false;
  const outputs: string[] = [];
  const inputs = inputsOf(args);
  for (const [i, input] of inputs.entries()) {
    if (io.progress && inputs.length > 1) io.err(`[${i + 1}/${inputs.length}] ${input.name}\n`);
    try {
      const result = convert(parseDocuments(input.text(), input.name));
      const problems = validationProblems(result.app);
      if (problems.length) throw new Error(problems.join('\n'));
      for (const w of result.warnings) io.err(`warning: ${w}\n`);
      const yaml = Yaml.stringify(...result.app.charts.flatMap((c) => chartObjects(c)));
      if (outdir) {
        // Written only after the whole input converted: a failed input leaves no partial file.
        fs.mkdirSync(outdir, { recursive: true });
        const target = path.join(outdir, `${path.basename(input.name).replace(/\.ya?ml$/, '')}.k8s.yaml`);
        fs.writeFileSync(target, yaml);
        io.err(`wrote ${target} (${result.functions.length} functions)\n`);
      } else {
        outputs.push(yaml);
      }
    } catch (e) {
      failed = true;
      const lines = e instanceof MigrationError ? e.problems.map(String) : [`${input.name}: ${(e as Error).message}`];
      for (const line of lines) io.err(`error: ${line}\n`);
    }
  }
  if (outputs.length) io.out(outputs.join('---\n'));
  return failed ? 1 : 0;
}

/** Runs the command line; returns the exit code. */
export function main(argv: string[], io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), progress: process.stderr.isTTY }): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'help': { type: 'boolean', short: 'h' },
        'version': { type: 'boolean' },
        'kubernetes-version': { type: 'string', default: '1.33' },
        'components': { type: 'string' },
        'profile': { type: 'string' },
        'manifests': { type: 'string' },
        'mirror': { type: 'string' },
        'app': { type: 'string' },
        'output': { type: 'string', short: 'o' },
      },
    });
  } catch (e) {
    io.err(`ofn-synth: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.out(`${version()}\n`);
    return 0;
  }
  const command = positionals[0];
  if (values.help || !command) {
    (command || values.help ? io.out : io.err)(HELP);
    return values.help ? 0 : 2;
  }
  try {
    const platformProps = (): OpenFunctionPlatformProps => ({
      kubernetesVersion: values['kubernetes-version']!,
      components: components(values.components),
      sizing: values.profile ? { profile: values.profile as SizingProfile } : undefined,
      manifests: values.manifests ? ManifestSource.mirror(values.manifests) : undefined,
      registryRewrite: values.mirror ? { registries: { '*': values.mirror } } : undefined,
    });
    if (command === 'convert') return convertCommand(positionals.slice(1), values.output, io);
    if (command === 'images') {
      const p = new OpenFunctionPlatform(new Chart(new App({ outdir: '.' }), 'platform'), 'openfunction', platformProps());
      throwIfInvalid(p);
      for (const image of p.images()) io.out(`${image}\n`);
      return 0;
    }
    if (command === 'describe') {
      const app = new App({ outdir: '.' });
      if (values.app) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(path.resolve(values.app));
        const build = typeof mod === 'function' ? mod : mod.default ?? mod.build ?? Object.values(mod).find((v) => typeof v === 'function');
        if (typeof build !== 'function') throw new Error(`${values.app} exports no function (app) => void`);
        build(app);
      }
      const all: IConstruct[] = app.node.findAll();
      const platforms = all.filter((c): c is OpenFunctionPlatform => c instanceof OpenFunctionPlatform);
      if (!values.app) platforms.push(new OpenFunctionPlatform(new Chart(app, 'platform'), 'openfunction', platformProps()));
      throwIfInvalid(app);
      for (const p of platforms) describePlatform(p, io);
      for (const fn of all.filter((c): c is Function => c instanceof Function)) describeFunction(fn, io);
      return 0;
    }
    io.err(`ofn-synth: unknown command ${JSON.stringify(command)}\n\n${HELP}`);
    return 2;
  } catch (e) {
    io.err(`ofn-synth: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  // `ofn-synth images | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  process.exitCode = main(process.argv.slice(2));
}

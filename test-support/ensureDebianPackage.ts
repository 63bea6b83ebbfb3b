import { spawnSync } from 'node:child_process';

/** A program a test needs and the Debian package that brings it. */
export interface DebianProgram {
  /** The executable looked up on PATH: `tmux`, `redis-server`, `chromium`. */
  readonly command: string;
  /** The Debian package that installs it. @default command */
  readonly debianPackage?: string;
  /** Arguments that make the program print its version and exit 0. @default ['-V'] */
  readonly versionArgs?: readonly string[];
}

/** How long `apt-get update && apt-get install` may take on a slow mirror. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/**
 * Makes sure a program from a Debian package is on this machine, for a
 * vitest globalSetup: nothing to do when it runs; installed with
 * `apt-get update && apt-get install -y` when we are root on a machine with
 * apt-get (a fresh CI or developer machine, which has only Node and npm);
 * otherwise an Error that says the exact command to run. Never a silent skip:
 * a test that needs the program must run or fail. Returns the version line.
 */
export function ensureDebianPackage(program: DebianProgram): string {
  const pkg = program.debianPackage ?? program.command;
  const version = (): string | undefined => {
    const run = spawnSync(program.command, [...(program.versionArgs ?? ['-V'])], { encoding: 'utf8' });
    return run.status === 0 ? `${run.stdout}${run.stderr}`.trim().split('\n')[0] : undefined;
  };
  const found = version();
  if (found !== undefined) return found;

  const hint = `${program.command} is needed by these tests: install the Debian package with \`apt-get update && apt-get install -y ${pkg}\` (as root)`;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!isRoot || !hasApt) throw new Error(`${hint}; this process is ${isRoot ? 'root but has no apt-get' : 'not root'}, so it cannot do it itself.`);

  process.stderr.write(`[test setup] ${program.command} not found: installing the Debian package ${pkg}\n`);
  // Two projects' setups may install at once: wait for dpkg's lock instead of failing on it.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', ...lock], ['install', '-y', '--no-install-recommends', ...lock, pkg]]) {
    const run = spawnSync('apt-get', ['-q', ...args], { encoding: 'utf8', env, timeout: INSTALL_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
    if (run.status !== 0) {
      const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-10).join('\n');
      throw new Error(`${hint}; \`apt-get ${args.join(' ')}\` failed (${run.error?.message ?? `exit ${run.status}`}):\n${output}`);
    }
  }
  const installed = version();
  if (installed === undefined) throw new Error(`${hint}; apt-get installed ${pkg} but \`${program.command}\` still does not run.`);
  return installed;
}

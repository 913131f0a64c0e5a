// Debian packages the harness needs (the engine, busybox-static, nginx), installed only when missing.
import { runCommand } from '../../../generator/docker/cli.ts';

export async function isInstalled(pkg: string): Promise<boolean> {
  const result = await runCommand('dpkg-query', ['-W', '-f=${Status}', pkg], { timeoutMs: 15_000 });
  return result.code === 0 && result.stdout.includes('install ok installed');
}

/** `apt-get install -y` of the packages not installed yet (refreshing the index once if the first try fails). */
export async function ensurePackages(packages: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const pkg of packages) if (!(await isInstalled(pkg))) missing.push(pkg);
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages ${missing.join(' ')}: run as root or sudo apt-get install -y ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => runCommand('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { timeoutMs: 10 * 60_000, env });
  let result = await install();
  if (result.code !== 0) {
    await runCommand('apt-get', ['update', '-qq'], { timeoutMs: 5 * 60_000, env });
    result = await install();
  }
  if (result.code !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed: ${result.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return missing;
}

/** The files a package installed, e.g. where busybox-static put its binary. */
export async function packageFiles(pkg: string): Promise<string[]> {
  const result = await runCommand('dpkg', ['-L', pkg], { timeoutMs: 15_000 });
  if (result.code !== 0) throw new Error(`dpkg -L ${pkg}: ${result.stderr.trim()}`);
  return result.stdout.split('\n').filter((line) => line !== '');
}

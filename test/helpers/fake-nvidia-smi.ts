// A stand-in `nvidia-smi` (a POSIX sh script) in a folder of its own: it prints apps.csv / gpus.csv from that folder and logs each call.
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const SCRIPT = `#!/bin/sh
dir=$(dirname "$0")
echo "$*" >> "$dir/calls.log"
if [ -f "$dir/fail" ]; then
  echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." >&2
  exit 9
fi
case "$1" in
  --query-compute-apps=*) cat "$dir/apps.csv" ;;
  --query-gpu=*) cat "$dir/gpus.csv" ;;
  *) echo "unexpected arguments: $*" >&2; exit 2 ;;
esac
`;

export interface FakeNvidiaSmi {
  /** The folder to put first on PATH. */
  dir: string;
  /** Sets what the compute-apps query prints (CSV, noheader, nounits). */
  setApps(csv: string): Promise<void>;
  /** Makes every call fail (exit 9) or succeed again. */
  setFailing(failing: boolean): Promise<void>;
  /** The argument lines of every call so far. */
  calls(): Promise<string[]>;
}

/** Writes the stand-in into `dir` with the given outputs. */
export async function fakeNvidiaSmi(dir: string, apps: string, gpus = '0, 24564, 3310\n'): Promise<FakeNvidiaSmi> {
  const file = path.join(dir, 'nvidia-smi');
  await writeFile(file, SCRIPT);
  await chmod(file, 0o755);
  await writeFile(path.join(dir, 'apps.csv'), apps);
  await writeFile(path.join(dir, 'gpus.csv'), gpus);
  return {
    dir,
    setApps: (csv) => writeFile(path.join(dir, 'apps.csv'), csv),
    setFailing: async (failing) => (failing ? writeFile(path.join(dir, 'fail'), '') : rm(path.join(dir, 'fail'), { force: true })),
    calls: async () => (await readFile(path.join(dir, 'calls.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean),
  };
}

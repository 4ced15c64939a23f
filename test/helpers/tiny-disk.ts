// A real small disk for the full-disk and read-only cases: a tmpfs of a few hundred kilobytes
// mounted on a fresh folder (Linux, as root). Where mounting is not allowed (not root, a container
// without CAP_SYS_ADMIN, another system) `mountTinyDisk` says why instead, for `t.skip`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TinyDisk {
  dir: string;
  /** Fills every free block (with a file `filler`), so that the next write that needs space fails with ENOSPC. */
  fill(): void;
  /** Frees what fill() took. */
  free(): void;
  /** Remounts it read-only (EROFS for every write) or read-write again. */
  readOnly(on: boolean): void;
  /** Unmounts it and removes the folder; safe to call twice. */
  remove(): void;
}

/** Mounts a tmpfs of `sizeKiB` on a new folder; returns the disk, or a one-line reason why this machine cannot. */
export function mountTinyDisk(sizeKiB = 512): TinyDisk | { skip: string } {
  if (process.platform !== 'linux') return { skip: `a tmpfs data directory needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { skip: 'mounting a tiny tmpfs needs root (run the tests as root, or in a container that allows mount)' };
  const dir = mkdtempSync(path.join(tmpdir(), 'agent-tray-tinydisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    return { skip: `mount -t tmpfs was refused on this machine: ${why}` };
  }
  let mounted = true;
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const block = Buffer.alloc(4096, 120);
      try {
        for (;;) writeSync(fd, block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    readOnly(on) {
      execFileSync('mount', ['-o', `remount,${on ? 'ro' : 'rw'}`, dir], { stdio: 'pipe' });
    },
    remove() {
      if (mounted) {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
        mounted = false;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Makes `file` immutable (chattr +i: even root gets EPERM when changing it); false when the file system or machine does not support it. */
export function makeImmutable(file: string, on = true): boolean {
  try {
    execFileSync('chattr', [on ? '+i' : '-i', file], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

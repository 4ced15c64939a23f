// Types for pidusage 4 (it ships none): only the batched promise call the sampler uses.
declare module 'pidusage' {
  namespace pidusage {
    /** One process's reading. On Linux memory is RSS; on Windows the working set. */
    interface Status {
      /** Percent of one core since the previous call for this pid (0 on the first call). */
      cpu: number;
      /** Bytes. */
      memory: number;
      ppid: number;
      pid: number;
      /** CPU time used, ms. */
      ctime: number;
      /** Time since the process started, ms. */
      elapsed: number;
      /** When the reading was taken, epoch ms. */
      timestamp: number;
    }
    interface Options {
      usePs?: boolean;
      maxage?: number;
    }
  }
  /** Reads every pid in one batch; a pid that does not exist is missing from the result (or, alone, rejects with ENOENT). */
  function pidusage(pids: number[], options?: pidusage.Options): Promise<Record<number, pidusage.Status | undefined>>;
  export = pidusage;
}

// A long job run on the Rust side (import, print, export, publication, sync): its id, so it can be cancelled, and
// its progress as the Channel reports it. One place for what every such screen did by hand.
import { computed, ref } from "vue";
import { cancelJob, newJobId } from "../api/commands";
import type { Progress } from "../api/bindings";

export interface RunningJob {
  job: number;
  done: number;
  total: number;
}

export function useJob() {
  /** The job in progress, or null. */
  const running = ref<RunningJob | null>(null);
  const percentage = computed(() => {
    const r = running.value;
    return r && r.total > 0 ? Math.min(100, Math.round((r.done * 100) / r.total)) : 0;
  });

  /** Runs `work` with a fresh job id and a progress callback; `total` is the estimate until the first report. */
  async function run<T>(total: number, work: (job: number, onProgress: (p: Progress) => void) => Promise<T>): Promise<T> {
    const job = newJobId();
    running.value = { job, done: 0, total };
    try {
      return await work(job, (p) => {
        if (running.value?.job === job) Object.assign(running.value, p);
      });
    } finally {
      if (running.value?.job === job) running.value = null;
    }
  }

  function cancel() {
    if (running.value) void cancelJob(running.value.job);
  }

  return { running, percentage, run, cancel };
}

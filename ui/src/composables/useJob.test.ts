import { beforeEach, describe, expect, it, vi } from "vitest";

const cancelled: number[] = [];
vi.mock("../api/commands", () => {
  let next = 1;
  return {
    newJobId: () => next++,
    cancelJob: (job: number) => {
      cancelled.push(job);
      return Promise.resolve();
    },
  };
});

const { useJob } = await import("./useJob");

describe("useJob", () => {
  beforeEach(() => {
    cancelled.length = 0;
  });

  it("tracks a job's progress while it runs and forgets it after", async () => {
    const { running, percentage, run } = useJob();
    let report: (p: { done: number; total: number }) => void = () => undefined;
    let finish: (value: string) => void = () => undefined;
    const result = run(200, (_job, onProgress) => {
      report = onProgress;
      return new Promise<string>((resolve) => (finish = resolve));
    });
    expect(running.value).toMatchObject({ done: 0, total: 200 });
    report({ done: 50, total: 200 });
    expect(percentage.value).toBe(25);
    report({ done: 300, total: 200 });
    expect(percentage.value).toBe(100);
    finish("ok");
    expect(await result).toBe("ok");
    expect(running.value).toBeNull();
    expect(percentage.value).toBe(0);
  });

  it("cancels the running job by its id, and forgets it when the job fails", async () => {
    const { running, run, cancel } = useJob();
    const failing = run(0, (job) => {
      cancel();
      expect(cancelled).toEqual([job]);
      return Promise.reject(new Error("cancelled"));
    });
    await expect(failing).rejects.toThrow("cancelled");
    expect(running.value).toBeNull();
    cancel();
    expect(cancelled).toHaveLength(1);
  });
});

/**
 * Wraps an async refresh so overlapping calls share one run, and a call that arrives during a run causes
 * exactly one more run after it (the data may have changed after the running request was sent). The
 * returned promise settles when the data is as fresh as the latest call; failures are swallowed
 * (a refresh is best effort: its caller reports errors itself).
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    const loop = async (): Promise<void> => {
      do {
        again = false;
        await run();
      } while (again);
    };
    running = loop()
      .catch(() => {})
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}

/**
 * Runs `task` now, or once more after the run in progress: calls made during a run fold into
 * one more pass (what they asked about may have changed after that run read it), never into
 * several runs at once whose answers could land out of order.
 */
export function coalesced(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  const loop = async () => {
    try {
      do {
        again = false;
        await task();
      } while (again);
    } finally {
      running = undefined;
    }
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = loop();
    return running;
  };
}

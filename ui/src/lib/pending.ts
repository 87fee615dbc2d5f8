// Saves that are still waiting (typing autosave pauses) register here, so leaving a screen or
// closing the window writes them first instead of losing what was typed.

type Flusher = () => Promise<unknown> | unknown;

const flushers = new Set<Flusher>();

/** Registers a flusher (run when the window is closing); returns the function that removes it. */
export function onLeave(fn: Flusher): () => void {
  flushers.add(fn);
  return () => {
    flushers.delete(fn);
  };
}

/** Runs every registered flusher and waits for their saves; never throws. */
export async function flushPending(): Promise<void> {
  await Promise.allSettled([...flushers].map((f) => Promise.resolve().then(f)));
}

/** Waits for `p`, but at most `ms` (a hung save must not keep the window from closing). */
export function atMost(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void p.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

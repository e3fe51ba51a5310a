import { useEffect, type RefObject } from 'react';
import { useChatSession } from '../session/session-context.ts';

/** Share of a message (or of the list's height, for a tall one) that must be on screen to count as seen. */
const SEEN_SHARE = 0.5;

/**
 * Marks read what is on screen while the page is visible: an IntersectionObserver on the list's
 * messages (`li[data-seq]`) keeps the seqs shown; each one shown while the page is visible, or
 * shown when it becomes visible again, goes to the session (which sends the highest, throttled).
 * What merely arrived in a background tab, or above the scroll position, is not marked.
 */
export function useReadTracking(scrollerRef: RefObject<HTMLElement | null>, room: string): void {
  const session = useChatSession();

  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller || typeof IntersectionObserver === 'undefined') return undefined;
    const shown = new Set<number>();
    const visible = () => document.visibilityState === 'visible';
    const report = () => {
      if (!visible() || shown.size === 0) return;
      session.markSeen(room, Math.max(...shown));
    };
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const seq = Number((entry.target as HTMLElement).dataset.seq);
          if (!Number.isInteger(seq)) continue;
          const rootHeight = entry.rootBounds?.height ?? Infinity;
          const seen =
            entry.isIntersecting &&
            (entry.intersectionRatio >= SEEN_SHARE || entry.intersectionRect.height >= rootHeight * SEEN_SHARE);
          if (seen) shown.add(seq);
          else shown.delete(seq);
        }
        report();
      },
      { root: scroller, threshold: [0, SEEN_SHARE, 1] },
    );
    const observeAll = () => {
      for (const item of scroller.querySelectorAll<HTMLElement>('li[data-seq]')) observer.observe(item);
    };
    observeAll();
    // Messages come and go with every page and frame: observe the new ones (observing twice is a no-op).
    const mutations = new MutationObserver(observeAll);
    mutations.observe(scroller, { childList: true, subtree: true });
    document.addEventListener('visibilitychange', report);
    return () => {
      observer.disconnect();
      mutations.disconnect();
      document.removeEventListener('visibilitychange', report);
    };
  }, [scrollerRef, room, session]);
}

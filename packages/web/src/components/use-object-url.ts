import { useEffect, useState, type RefObject } from 'react';
import { useChatSession } from '../session/session-context.ts';

/** An object URL for a blob, revoked when the blob changes or the component unmounts. */
export function useObjectUrl(blob: Blob | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob) return undefined;
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => {
      URL.revokeObjectURL(made);
      setUrl(undefined);
    };
  }, [blob]);
  return url;
}

export interface LoadedFile {
  url?: string;
  failed: boolean;
}

/**
 * A file of a message as an object URL. The bytes are fetched with the token rather than put in
 * `<img src>` directly: a client hosted on another origin than the API has no cookie to send.
 */
export function useFileUrl(fileUrl: string, active: boolean): LoadedFile {
  const session = useChatSession();
  const [blob, setBlob] = useState<Blob>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!active) return undefined;
    let live = true;
    session.fileBlobs.load(fileUrl).then(
      (loaded) => live && setBlob(loaded),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [session, fileUrl, active]);
  return { url: useObjectUrl(blob), failed };
}

// Start loading a little before a file scrolls into view, so it is there when it arrives.
const NEAR_MARGIN = '400px 0px';

/** True once the element has come near the viewport; stays true (nothing is unloaded). */
export function useNearViewport(ref: RefObject<Element | null>): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (near || !el) return undefined;
    if (typeof IntersectionObserver === 'undefined') {
      setNear(true);
      return undefined;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setNear(true);
      },
      { rootMargin: NEAR_MARGIN },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, near]);
  return near;
}

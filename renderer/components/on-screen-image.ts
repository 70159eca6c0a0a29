// Images (the strips' app icons) given their source only once they are on screen, or near
// it. Each distinct SVG icon is a document of its own that the page parses, lays out and
// paints (in a snapshot's first task, ~9 ms of CPU for the first two), and an <img> with a
// data URL loads at once whatever its `loading` says: so the strips mount with the image
// empty (its box sized by CSS) and one IntersectionObserver for every image sets the
// source when its strip comes into view. Guarantees:
// - an image's source is set once it is on screen (within MARGIN of the window), after the
//   frame that first laid it out (the snapshot's first paint does not wait for its icons);
// - an image already showing its source changes it at once (a session's icon changed);
// - the returned stop() before that forgets the image (unmounted strips are not held);
// - without IntersectionObserver (tests, old engines) the source is set at once.

/**
 * How near the window's edge an image is given its source (a strip's width beyond it). The
 * strip row scrolls in its own box, whose edge the margin does not widen: a strip scrolled
 * into it shows its icon from the frame after.
 */
const MARGIN = '120px';

const waiting = new WeakMap<Element, string>();
let observer: IntersectionObserver | null = null;

function sharedObserver(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const src = waiting.get(entry.target);
        observer?.unobserve(entry.target);
        waiting.delete(entry.target);
        if (src !== undefined) (entry.target as HTMLImageElement).src = src;
      }
    },
    { rootMargin: MARGIN },
  );
  return observer;
}

/** Sets `image`'s source to `src` once it is on screen; stop() gives up if that has not happened yet. */
export function showWhenOnScreen(image: HTMLImageElement, src: string): () => void {
  if (typeof IntersectionObserver === 'undefined' || image.hasAttribute('src')) {
    image.src = src;
    return () => undefined;
  }
  waiting.set(image, src);
  sharedObserver().observe(image);
  return () => {
    if (!waiting.delete(image)) return;
    observer?.unobserve(image);
  };
}

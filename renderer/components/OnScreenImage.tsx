// An <img> whose source is set once it is on screen (on-screen-image.ts).
import { useLayoutEffect, useRef } from 'react';
import { showWhenOnScreen } from './on-screen-image';

export function OnScreenImage({ src, className }: { src: string; className: string }) {
  const image = useRef<HTMLImageElement>(null);
  useLayoutEffect(() => (image.current ? showWhenOnScreen(image.current, src) : undefined), [src]);
  return <img ref={image} className={className} alt="" draggable={false} />;
}

// Highlights the element a learn step talks about: the first element whose data-learn-target
// names it (a word of the attribute). The screens render asynchronously (data arrives, a tab
// opens, a row appears after a kill), so the element is looked for again until it is there and
// followed when React replaces it; it is scrolled into view once per step. The mark is an
// attribute React does not own (a class would be overwritten by the element's own className).
import { useEffect } from 'react';

const ATTR = 'data-learn-highlight';
const EVERY_MS = 400;

export const targetSelector = (name: string) => `[data-learn-target~="${CSS.escape(name)}"]`;

export function useHighlight(name: string | null): void {
  useEffect(() => {
    if (!name) return;
    let current: Element | null = null;
    let scrolled = false;
    const find = () => {
      const el = document.querySelector(targetSelector(name));
      if (el !== current) current?.removeAttribute(ATTR);
      current = el;
      if (!el || el.hasAttribute(ATTR)) return;
      el.setAttribute(ATTR, '');
      if (!scrolled) el.scrollIntoView({ block: 'center', behavior: 'smooth' });
      scrolled = true;
    };
    find();
    const timer = setInterval(find, EVERY_MS);
    return () => {
      clearInterval(timer);
      current?.removeAttribute(ATTR);
    };
  }, [name]);
}

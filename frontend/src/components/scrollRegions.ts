// A table wider than its box scrolls inside it (the page itself never scrolls sideways). A keyboard user must be
// able to scroll it too, so every table scroller can take focus (WCAG 2.1.1; axe's scrollable-region-focusable).
// On a phone a bordered description list scrolls the same way (styles.css).
const SCROLLERS = '.ant-table-content, .ant-table-body, .ant-descriptions-view';

export function makeScrollersFocusable(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>(SCROLLERS).forEach((el) => {
    if (!el.hasAttribute('tabindex')) el.tabIndex = 0;
  });
}

export function installFocusableScrollers(root: HTMLElement = document.body): () => void {
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      makeScrollersFocusable(root);
    });
  });
  observer.observe(root, { childList: true, subtree: true });
  makeScrollersFocusable(root);
  return () => observer.disconnect();
}

// A link to one of the external pages the console knows (main/contract/external-links.ts):
// a new browser tab in `samsa serve`, the system browser in the desktop app.
import type { ReactNode } from 'react';
import { isAppExternalLink } from '../../main/contract/index.ts';

export function ExternalLink({ href, children, label }: { href: string; children: ReactNode; label?: string }) {
  if (!isAppExternalLink(href)) return <>{children}</>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" aria-label={label}>
      {children}
    </a>
  );
}

// Markdown artifacts as HTML that is safe to put in the page: markdown-it with raw HTML off (tags
// come out as text), links only to the job's own artifacts or to http(s)/mailto, and images only
// from the job's own artifacts (same origin, served sandboxed); anything else loses its href/src.
import MarkdownIt from 'markdown-it';
import { isSafeExternalLink, linkedArtifact } from './artifact-links.ts';

export type MarkdownContext = {
  /** The artifact's own name: relative links are read from its folder. */
  from: string;
  /** The names a link or image may resolve to (the same attempt's artifacts). */
  names: ReadonlySet<string>;
  /** The address of artifact `name`, for images. */
  url: (name: string) => string;
  /** Where a link to artifact `name` goes (its permalink: the app opens its preview). */
  link: (name: string) => string;
};

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

// Parsed as a link only when it is relative or http(s)/mailto; `javascript:`, `data:`, `file:`…
// stay text. The renderer below decides what a relative one may name.
md.validateLink = (url: string): boolean => {
  const s = url.trim().toLowerCase();
  return !/^[a-z][a-z0-9+.-]*:/.test(s) || /^(https?|mailto):/.test(s);
};

const renderImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const { from, names, url } = env as MarkdownContext;
  const name = linkedArtifact(from, String(token.attrGet('src') ?? ''), names);
  if (!name) {
    // An image from elsewhere would be a request to another origin: show its text instead.
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    return alt ? `<span class="missing-image">[${md.utils.escapeHtml(alt)}]</span>` : '';
  }
  token.attrSet('src', url(name));
  token.attrSet('loading', 'lazy');
  return renderImage(tokens, idx, options, env, self);
};

md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const { from, names, link } = env as MarkdownContext;
  const href = String(token.attrGet('href') ?? '');
  const name = linkedArtifact(from, href, names);
  if (name) token.attrSet('href', link(name));
  else if (isSafeExternalLink(href)) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer');
  } else token.attrs = (token.attrs ?? []).filter(([attr]) => attr !== 'href');
  return self.renderToken(tokens, idx, options);
};

export const renderMarkdown = (source: string, context: MarkdownContext): string => md.render(source, { ...context });

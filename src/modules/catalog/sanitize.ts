import sanitizeHtml from 'sanitize-html';

/**
 * Rich text of content pages: staff write HTML, residents get only this allowlist. The
 * parsing is done by sanitize-html (htmlparser2), never by regular expressions: a real
 * parser sees `<scr<script>ipt>`, unclosed tags and entity-encoded schemes the way a
 * browser does. Everything not listed is dropped (script and style with their content),
 * every attribute but a link's href goes, and a link may only point to http(s), mailto,
 * tel or a relative path. External links get rel="noopener noreferrer".
 */
export const ALLOWED_TAGS = ['p', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'br', 'blockquote'] as const;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesAppliedToAttributes: ['href'],
  // "//evil.example" is an absolute URL to another host, not a relative one.
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Content of these is never text a resident should see.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'template', 'title', 'svg', 'math'],
  transformTags: {
    // <b>/<i> from pasted text keep their meaning as the allowed equivalents.
    b: 'strong',
    i: 'em',
    h1: 'h2',
    a: (tagName, attribs): sanitizeHtml.Tag => {
      const href = (attribs.href ?? '').trim();
      // A link without an acceptable target becomes a span, which is not allowed, so only
      // its text stays. sanitize-html checks the scheme once more after this.
      if (!isAllowedHref(href)) return { tagName: 'span', attribs: {} };
      const attribsOut: sanitizeHtml.Attributes = { href };
      if (/^https?:/i.test(href)) attribsOut.rel = 'noopener noreferrer';
      return { tagName, attribs: attribsOut };
    },
  },
};

/** http(s), mailto, tel, or relative (a path, a fragment, a query — no scheme, not //host). */
export function isAllowedHref(href: string): boolean {
  if (!href) return false;
  if (/^(https?:\/\/|mailto:|tel:)/i.test(href)) return true;
  if (href.startsWith('//')) return false;
  // Relative: nothing that a browser could read as a scheme before the first / ? or #.
  return !/^[^/?#]*:/.test(href);
}

/** The allowlisted HTML of untrusted input; '' for nothing left. */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

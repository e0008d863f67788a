import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import zh from '../../../docs/guide/zh-CN.md?raw';
import en from '../../../docs/guide/en.md?raw';
import { appRoutes } from '../routes';
import { guideHref, helpAnchor, helpAnchorFor } from './anchors';
import { Markdown, anchorsOf, parseBlocks } from './markdown';

describe('the user guide', () => {
  it('has a section for every page, in both languages', () => {
    const anchors = [...new Set(appRoutes.map((r) => helpAnchor(r.path)))];
    for (const [lang, source] of [['zh-CN', zh], ['en', en]] as const) {
      const declared = new Set(anchorsOf(source));
      expect(anchors.filter((a) => !declared.has(a)), `sections missing from docs/guide/${lang}.md`).toEqual([]);
    }
  });

  it('has the same sections in both languages, each once', () => {
    expect(anchorsOf(en)).toEqual(anchorsOf(zh));
    expect(new Set(anchorsOf(zh)).size).toBe(anchorsOf(zh).length);
  });
});

describe('help anchors', () => {
  it('name a page by its route', () => {
    expect(helpAnchor('/teachers/:id')).toBe('teachers-detail');
    expect(helpAnchor('/programs/:id/report')).toBe('programs-report');
    expect(helpAnchor('/import/:kind')).toBe('import');
  });

  it('find the page of a location, literal routes before parameters', () => {
    expect(helpAnchorFor('/quizzes/new')).toBe('quizzes-new');
    expect(helpAnchorFor('/quizzes/12')).toBe('quizzes-detail');
    expect(helpAnchorFor('/nowhere')).toBeNull();
    expect(guideHref('en-US', 'quizzes-new')).toBe('/guide/en#quizzes-new');
    expect(guideHref('zh-CN', null)).toBe('/guide/zh-CN');
  });
});

describe('the guide markdown', () => {
  it('parses headings with anchors, paragraphs and lists', () => {
    const blocks = parseBlocks('# Title {#top}\n\nOne\nline.\n\n- a\n  continued\n- b\n');
    expect(blocks).toEqual([
      { kind: 'heading', heading: { level: 1, text: 'Title', anchor: 'top' } },
      { kind: 'paragraph', text: 'One line.' },
      { kind: 'list', items: ['a continued', 'b'] },
    ]);
  });

  it('renders bold, code and links as elements, never as markup', () => {
    render(<Markdown source={'## Hi {#hi}\n\n**bold** `code` [link](/guide/en) <img src=x onerror=alert(1)>'} />);
    expect(screen.getByRole('heading', { level: 2 })).toHaveAttribute('id', 'hi');
    expect(screen.getByText('bold').tagName).toBe('STRONG');
    expect(screen.getByText('code').tagName).toBe('CODE');
    expect(screen.getByRole('link', { name: 'link' })).toHaveAttribute('href', '/guide/en');
    expect(document.querySelector('img')).toBeNull();
  });
});

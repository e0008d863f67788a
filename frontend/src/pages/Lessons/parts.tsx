import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Descriptions, Flex, List, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, ExclamationCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { apiUrl, authFetch } from '../../api/http';
import { api, downloadFile, unwrap } from '../../api/client';
import { errorFromResponse } from '../../api/problem';
import { errorText } from '../../components/errors';
import { formatBytes, formatDuration, type AwardLevel, type LessonStatus, type MediaCheck, type MediaInfo, type PlayLink, type Requirement, type ReviewStatusKey, type RoundStatus } from './api';

type Dot = 'default' | 'processing' | 'success' | 'error' | 'warning';
// status dots with plain text (antd's green and purple tags fail contrast)
const STATUS_DOTS: Record<LessonStatus, Dot> = { draft: 'default', submitted: 'processing', returned: 'error', checked: 'success' };
const ROUND_DOTS: Record<RoundStatus, Dot> = { draft: 'default', reviewing: 'processing', closed: 'warning', publicity: 'processing', published: 'success' };
const REVIEW_DOTS: Record<ReviewStatusKey, Dot> = { assigned: 'default', draft: 'processing', submitted: 'success' };

export function LessonStatusTag({ status }: { status: LessonStatus }) {
  const { t } = useTranslation();
  return <Badge status={STATUS_DOTS[status]} text={<span data-testid="lesson-status">{t(`lessons.status.${status}`)}</span>} />;
}

export function RoundStatusTag({ status }: { status: RoundStatus }) {
  const { t } = useTranslation();
  return <Badge status={ROUND_DOTS[status]} text={<span data-testid="round-status">{t(`lessons.roundStatus.${status}`)}</span>} />;
}

export function ReviewStatus({ status }: { status: ReviewStatusKey }) {
  const { t } = useTranslation();
  return <Badge status={REVIEW_DOTS[status]} text={t(`lessonReviews.status.${status}`)} />;
}

export function AwardTags({ awards }: { awards: readonly AwardLevel[] }) {
  const { t } = useTranslation();
  if (!awards.length) return <>—</>;
  return (
    <>
      {awards.map((a) => (
        <Tag key={a} color="blue">
          {t(`lessons.award.${a}`)}
        </Tag>
      ))}
    </>
  );
}

/** An image fetched with the bearer token (an <img src> cannot carry it). */
export function AuthImage({ path, alt, width = 320 }: { path: string; alt: string; width?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    let live = true;
    authFetch(new Request(apiUrl(path)))
      .then(async (r) => {
        if (!r.ok) return;
        url = URL.createObjectURL(await r.blob());
        if (live) setSrc(url);
      })
      .catch(() => undefined);
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [path]);
  return src ? <img src={src} alt={alt} width={width} style={{ maxWidth: '100%', borderRadius: 4 }} data-testid="video-poster" /> : null;
}

/** Whose play token: a file the caller may read, or an item of a lesson under review. */
export type PlayTokenOf = { file: number } | { review: number; item: number };

function playToken(of: PlayTokenOf): Promise<PlayLink> {
  return 'file' in of
    ? unwrap(api.POST('/api/files/{id}/play-token', { params: { path: { id: of.file } } }))
    : unwrap(api.POST('/api/lesson-reviews/{id}/items/{item_id}/play-token', { params: { path: { id: of.review, item_id: of.item } } }));
}

/**
 * The 课堂实录 player: a play token (`POST …/play-token` → {url}) is the <video> src, which the server serves with
 * HTTP Range so seeking works; the poster frame is shown above until it plays.
 */
export function VideoPlayer({ token, posterPath, title }: { token: PlayTokenOf; posterPath?: string; title: string }) {
  const { t } = useTranslation();
  const [link, setLink] = useState<PlayLink | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The ids, not the object's identity: a parent re-rendering with the same ids keeps the link.
  const tokenKey = 'file' in token ? `file/${token.file}` : `review/${token.review}/${token.item}`;
  useEffect(() => {
    let live = true;
    playToken(token)
      .then((r) => live && setLink(r))
      .catch((e: unknown) => live && setError(errorText(t, e)));
    return () => {
      live = false;
    };
  }, [tokenKey, t]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {link?.poster_url ? (
        <img src={link.poster_url} alt={t('lessons.poster')} width={320} style={{ maxWidth: '100%', borderRadius: 4 }} data-testid="video-poster" />
      ) : (
        posterPath && link && <AuthImage path={posterPath} alt={t('lessons.poster')} />
      )}
      {error && <Alert type="warning" showIcon message={error} />}
      {link && (
        <video controls preload="metadata" src={link.url} poster={link.poster_url ?? undefined} style={{ width: '100%', maxWidth: 640, background: '#000' }} data-testid="video-player" aria-label={title}>
          <track kind="captions" />
        </video>
      )}
    </Space>
  );
}

export function DownloadLink({ path, name }: { path: string; name: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size="small"
      type="link"
      icon={<DownloadOutlined />}
      loading={busy}
      aria-label={`${t('lessons.download')} ${name}`}
      onClick={async () => {
        setBusy(true);
        try {
          await downloadFile(path, {}, name);
        } finally {
          setBusy(false);
        }
      }}
    >
      {name}
    </Button>
  );
}

function checkValue(c: MediaCheck['actual']): string {
  return c === undefined || c === null ? '—' : String(c);
}

/** ✓ / ✗ per requirement, then each probed video check (advisory ones marked, shown with a warning icon). */
/** The requirement key the server derives from a probed video check (`bitrate` → `video_bitrate`, `video_h264` stays). */
export function requirementKeyOf(check: MediaCheck): string {
  return check.key.startsWith('video_') ? check.key : `video_${check.key}`;
}

export function RequirementChecklist({ requirements, checks }: { requirements: Requirement[]; checks?: MediaCheck[] }) {
  const { t } = useTranslation();
  const listed = new Set(requirements.map((r) => r.key));
  const rows = [
    ...requirements.map((r) => ({ key: `r-${r.key}`, passed: r.passed, advisory: false, text: t(`lessons.req.${r.key}`, { defaultValue: r.message }), detail: r.passed ? '' : r.message })),
    // the probed checks the requirements do not already list (the advisory bitrate, or all of them before the server lists them)
    ...(checks ?? []).filter((c) => !listed.has(requirementKeyOf(c))).map((c) => ({
      key: `c-${c.key}`,
      passed: c.passed,
      advisory: !!c.advisory,
      text: `${t('lessons.videoCheck')}: ${t(`lessons.check.${c.key}`, { defaultValue: c.key })}`,
      detail: t('lessons.checkDetail', { actual: checkValue(c.actual), required: checkValue(c.required) }),
    })),
  ];
  return (
    <List
      size="small"
      bordered
      dataSource={rows}
      data-testid="requirements"
      renderItem={(r) => (
        <List.Item data-testid={`req-${r.key}`} data-passed={r.passed}>
          <Flex gap={8} align="baseline" wrap>
            {r.passed ? (
              <CheckCircleFilled style={{ color: '#389e0d' }} aria-label={t('lessons.passed')} />
            ) : r.advisory ? (
              <ExclamationCircleFilled style={{ color: '#d48806' }} aria-label={t('lessons.advisory')} />
            ) : (
              <CloseCircleFilled style={{ color: '#cf1322' }} aria-label={t('lessons.failed')} />
            )}
            <Typography.Text>{r.text}</Typography.Text>
            {r.advisory && <Tag>{t('lessons.advisory')}</Tag>}
            {r.detail && <Typography.Text type="secondary">{r.detail}</Typography.Text>}
          </Flex>
        </List.Item>
      )}
    />
  );
}

export function MediaSummary({ media }: { media?: MediaInfo | null }) {
  const { t } = useTranslation();
  if (!media) return null;
  return (
    <Descriptions size="small" column={3} data-testid="media-summary">
      <Descriptions.Item label={t('lessons.media.codec')}>
        {media.video_codec ?? '—'} / {media.audio_codec ?? '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('lessons.media.resolution')}>{media.width && media.height ? `${media.width}×${media.height}` : '—'}</Descriptions.Item>
      <Descriptions.Item label={t('lessons.media.duration')}>{media.duration_seconds ? formatDuration(media.duration_seconds) : '—'}</Descriptions.Item>
      <Descriptions.Item label={t('lessons.media.bitrate')}>{media.bit_rate ? `${Math.round(media.bit_rate / 1000)} kbps` : '—'}</Descriptions.Item>
    </Descriptions>
  );
}

export { formatBytes };

/** GET a binary with the bearer token and hand it to the browser (the ministry export). */
export async function fetchOk(path: string): Promise<Response> {
  const r = await authFetch(new Request(apiUrl(path)));
  if (!r.ok) throw await errorFromResponse(r);
  return r;
}

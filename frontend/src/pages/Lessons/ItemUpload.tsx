import { useEffect, useRef, useState } from 'react';
import { App, Button, Flex, Progress, Space, Typography, Upload } from 'antd';
import { PauseOutlined, CaretRightOutlined, CloseOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { uploadWithProgress, api, unwrap } from '../../api/client';
import { TusUpload, isTusAbort, uploadIdOf } from '../../api/tus';
import { errorText } from '../../components/errors';
import { formatBytes, TUS_THRESHOLD, type ItemKind, type Lesson, type LessonFile, type MaterialType } from './api';

const ACCEPT: Partial<Record<ItemKind, string>> = {
  video: '.mp4,video/mp4',
  design: '.pdf,.docx,.doc',
  exercise: '.pdf,.docx,.doc,.xlsx,.pptx,.zip',
  courseware: '.pptx,.ppt,.pdf,.zip,.docx,.mp4',
};
const ANY = '.pdf,.docx,.doc,.pptx,.ppt,.xlsx,.zip,.mp4,.png,.jpg,.jpeg,.txt';
export const COURSEWARE_MAX = 500 * 1024 * 1024;

type Phase = 'idle' | 'uploading' | 'paused' | 'processing' | 'done';

/** bytes/second over the last few seconds of progress samples */
function speedOf(samples: { at: number; sent: number }[]): number {
  if (samples.length < 2) return 0;
  const a = samples[0];
  const b = samples[samples.length - 1];
  const dt = (b.at - a.at) / 1000;
  return dt > 0 ? (b.sent - a.sent) / dt : 0;
}

async function waitForFile(id: string, tries = 120): Promise<LessonFile> {
  for (let i = 0; i < tries; i++) {
    const s = await unwrap(api.GET('/api/uploads/{id}/status', { params: { path: { id } } }));
    if (s.complete && s.file) return s.file;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('upload status timeout');
}

/**
 * Uploads one item's file and attaches it to the lesson. The video (and any file over 20 MB) goes through the
 * resumable tus upload with a progress bar (%, MB, speed) and pause / resume / cancel; small files are one POST.
 */
export default function ItemUpload({
  lessonId,
  kind,
  materialType,
  disabled,
  label,
  onDone,
}: {
  lessonId: number;
  kind: ItemKind;
  materialType?: MaterialType;
  disabled?: boolean;
  label?: string;
  onDone: (lesson: Lesson) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [phase, setPhase] = useState<Phase>('idle');
  const [sent, setSent] = useState(0);
  const [total, setTotal] = useState(0);
  const [percent, setPercent] = useState(0);
  const [speed, setSpeed] = useState(0);
  const [name, setName] = useState('');
  const tus = useRef<TusUpload | null>(null);
  const samples = useRef<{ at: number; sent: number }[]>([]);

  useEffect(() => () => tus.current?.pause(), []);

  const attach = async (file: LessonFile) => {
    const lesson = await unwrap(
      api.POST('/api/lessons/{id}/items', { params: { path: { id: lessonId } }, body: { kind, file_id: file.id, ...(kind === 'material' ? { material_type: materialType } : {}) } }),
    );
    message.success(t('lessons.itemAdded', { name: file.name }));
    onDone(lesson);
  };

  const runTus = async (up: TusUpload) => {
    setPhase('uploading');
    try {
      const url = await up.start();
      setPhase('processing');
      setPercent(100);
      const file = await waitForFile(uploadIdOf(url));
      await attach(file);
      tus.current = null;
      setPhase('done');
    } catch (e) {
      if (isTusAbort(e)) {
        if (tus.current) setPhase('paused');
        return;
      }
      message.error(errorText(t, e));
      setPhase(tus.current ? 'paused' : 'idle');
    }
  };

  const startTus = (file: File) => {
    samples.current = [];
    setName(file.name);
    setTotal(file.size);
    const up = new TusUpload(file, {
      metadata: { purpose: 'lesson' },
      onProgress: ({ sent: s, total: n }) => {
        const now = Date.now();
        samples.current = [...samples.current.filter((x) => now - x.at < 3000), { at: now, sent: s }];
        setSent(s);
        setPercent(n ? Math.floor((s / n) * 100) : 100);
        setSpeed(speedOf(samples.current));
      },
    });
    tus.current = up;
    void runTus(up);
  };

  const startSimple = async (file: File) => {
    setName(file.name);
    setTotal(file.size);
    setPhase('uploading');
    try {
      const stored = await uploadWithProgress<LessonFile>('/api/files', { purpose: 'lesson', name: file.name }, file, (p) => {
        setPercent(p);
        setSent(Math.round((p / 100) * file.size));
      });
      setPhase('processing');
      await attach(stored);
      setPhase('done');
    } catch (e) {
      message.error(errorText(t, e));
      setPhase('idle');
    }
  };

  const busy = phase === 'uploading' || phase === 'paused' || phase === 'processing';
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {!busy && (
        <Upload
          accept={ACCEPT[kind] ?? ANY}
          showUploadList={false}
          disabled={disabled}
          beforeUpload={(file) => {
            if (kind === 'courseware' && file.size > COURSEWARE_MAX) {
              message.error(t('files.tooLarge', { name: file.name, mb: 500 }));
              return Upload.LIST_IGNORE;
            }
            if (kind === 'video' || file.size > TUS_THRESHOLD) startTus(file);
            else void startSimple(file);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} disabled={disabled} data-testid={`upload-${kind}`}>
            {label ?? t('lessons.upload')}
          </Button>
        </Upload>
      )}
      {phase !== 'idle' && (
        <div data-testid={`progress-${kind}`} data-phase={phase}>
          <Typography.Text>{name}</Typography.Text>
          <Progress percent={percent} status={phase === 'paused' ? 'exception' : percent >= 100 ? 'success' : 'active'} aria-label={t('lessons.uploadProgress')} />
          <Flex gap={12} align="center" wrap>
            <Typography.Text type="secondary" data-testid={`progress-text-${kind}`}>
              {t('lessons.progressText', { percent, sent: mb(sent), total: mb(total) })}
              {phase === 'uploading' && speed > 0 && ` · ${formatBytes(Math.round(speed))}/s`}
              {phase === 'paused' && ` · ${t('lessons.paused')}`}
              {phase === 'processing' && ` · ${t('lessons.processing')}`}
              {phase === 'done' && ` · ${t('lessons.uploaded')}`}
            </Typography.Text>
            {tus.current && phase === 'uploading' && (
              <Button size="small" icon={<PauseOutlined />} onClick={() => tus.current?.pause()} data-testid="pause-upload">
                {t('lessons.pause')}
              </Button>
            )}
            {tus.current && phase === 'paused' && (
              <Button size="small" icon={<CaretRightOutlined />} onClick={() => tus.current && void runTus(tus.current)} data-testid="resume-upload">
                {t('lessons.resume')}
              </Button>
            )}
            {tus.current && (phase === 'uploading' || phase === 'paused') && (
              <Button
                size="small"
                danger
                icon={<CloseOutlined />}
                onClick={() => {
                  const up = tus.current;
                  tus.current = null;
                  up?.cancel();
                  setPhase('idle');
                }}
              >
                {t('common.cancel')}
              </Button>
            )}
          </Flex>
        </div>
      )}
    </Space>
  );
}

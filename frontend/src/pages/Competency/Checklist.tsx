import { useMemo, useState } from 'react';
import { Alert, App, Badge, Checkbox, Descriptions, Divider, Input, List, Modal, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, downloadFile, unwrap, type Schemas } from '../../api/client';
import { errorText } from '../../components/errors';
import { commentRequired, deriveGrade, emptyChecks, gradeStatus, type Grade } from './rules';

type Submission = Schemas['EvidenceSubmissionView'];

export function GradeTag({ grade }: { grade?: Grade | null }) {
  const { t } = useTranslation();
  return <Badge status={gradeStatus(grade)} text={grade ? t(`competency.grade.${grade}`) : t('competency.pending')} />;
}

/** The evidence of a submission: each item's text and files (downloadable). */
export function EvidenceList({ submission }: { submission: Submission }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <List
      size="small"
      dataSource={submission.items}
      renderItem={(item) => (
        <List.Item>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text strong>{item.name}</Typography.Text>
            {item.text && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{item.text}</Typography.Paragraph>}
            {item.files.map((f) => (
              <Typography.Link
                key={f.id}
                onClick={() => downloadFile(`/api/files/${f.id}/content`, {}, f.name).catch((e: unknown) => message.error(errorText(t, e)))}
              >
                {f.name}
              </Typography.Link>
            ))}
          </Space>
        </List.Item>
      )}
    />
  );
}

/**
 * The reviewer's checklist: one tick per 优秀 and 合格 criterion; the grade is derived live, never chosen. `mode`
 * `spot-check` is the county's review, where a grade differing from the school's needs the reason.
 */
export default function ChecklistModal({
  submission,
  mode,
  onClose,
  onDone,
}: {
  submission: Submission;
  mode: 'school' | 'spot-check';
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [checks, setChecks] = useState(() => emptyChecks(submission.excellent_criteria.length, submission.pass_criteria.length));
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const grade = useMemo(() => deriveGrade(checks.excellent, checks.pass), [checks]);
  const schoolGrade = mode === 'spot-check' ? (submission.school_review?.grade ?? null) : null;
  const needsComment = commentRequired(grade, schoolGrade);
  const tick = (level: 'excellent' | 'pass', i: number, value: boolean) =>
    setChecks((c) => ({ ...c, [level]: c[level].map((v, j) => (j === i ? value : v)) }));

  const submit = async () => {
    if (needsComment && !comment.trim()) {
      setError(t(mode === 'spot-check' && grade !== schoolGrade ? 'competency.reasonRequired' : 'competency.commentRequired'));
      return;
    }
    setBusy(true);
    try {
      const body = { ...checks, comment: comment.trim() || undefined };
      const path = mode === 'school' ? '/api/competency/submissions/{id}/review' : '/api/competency/submissions/{id}/spot-check';
      await unwrap(api.POST(path, { params: { path: { id: submission.id } }, body }));
      message.success(t('competency.reviewed'));
      onDone();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={760}
      title={`${submission.code} ${submission.point_name} · ${submission.teacher_name}`}
      okText={t('competency.confirmGrade')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={submit}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'confirm-grade' } as never}
    >
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t('competency.school')}>{submission.school_name}</Descriptions.Item>
        <Descriptions.Item label={t('competency.submittedAt')}>{new Date(submission.submitted_at).toLocaleString()}</Descriptions.Item>
        {submission.school_review && (
          <Descriptions.Item label={t('competency.schoolGrade')}>
            <GradeTag grade={submission.school_review.grade} />
          </Descriptions.Item>
        )}
      </Descriptions>
      <EvidenceList submission={submission} />
      <Divider orientation="left">{t('competency.passCriteria')}</Divider>
      {submission.pass_criteria.map((c, i) => (
        <div key={`p${i}`}>
          <Checkbox checked={checks.pass[i]} onChange={(e) => tick('pass', i, e.target.checked)} data-testid={`pass-${i}`}>
            {c}
          </Checkbox>
        </div>
      ))}
      <Divider orientation="left">{t('competency.excellentCriteria')}</Divider>
      {submission.excellent_criteria.map((c, i) => (
        <div key={`e${i}`}>
          <Checkbox checked={checks.excellent[i]} onChange={(e) => tick('excellent', i, e.target.checked)} data-testid={`excellent-${i}`}>
            {c}
          </Checkbox>
        </div>
      ))}
      <Divider />
      <Space>
        <Typography.Text>{t('competency.derivedGrade')}</Typography.Text>
        <span data-testid="derived-grade">
          <GradeTag grade={grade} />
        </span>
        {mode === 'spot-check' && schoolGrade && grade !== schoolGrade && <Tag>{t('competency.override')}</Tag>}
      </Space>
      <Input.TextArea
        style={{ marginTop: 12 }}
        rows={3}
        maxLength={2000}
        aria-label={t('competency.comment')}
        placeholder={needsComment ? t(mode === 'spot-check' ? 'competency.reasonPlaceholder' : 'competency.commentPlaceholder') : t('competency.comment')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        data-testid="grade-comment"
      />
      {error && <Alert style={{ marginTop: 12 }} type="error" message={error} showIcon />}
    </Modal>
  );
}

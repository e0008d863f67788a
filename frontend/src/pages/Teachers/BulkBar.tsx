import { useState } from 'react';
import { App, Button, Modal, Select, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Teacher } from '../../api/types';
import BulkResult, { BULK_LIMIT, type BulkOutcome } from '../../components/BulkResult';
import { errorText } from '../../components/errors';
import BulkAssign from '../ProgramDetail/BulkAssign';

/** Published programs to assign chosen teachers to. */
function ProgramChoice({ value, onChange }: { value?: number; onChange: (id: number) => void }) {
  const { t } = useTranslation();
  const programs = useQuery({ queryKey: ['programs', 'published'], queryFn: () => unwrap(api.GET('/api/programs', { params: { query: { page: 1, page_size: 200 } } })) });
  const published = (programs.data?.items ?? []).filter((p) => p.status === 'published');
  return (
    <Select
      value={value}
      onChange={onChange}
      loading={programs.isPending}
      placeholder={t('bulk.programHint')}
      aria-label={t('bulk.program')}
      showSearch
      optionFilterProp="label"
      style={{ width: '100%' }}
      options={published.map((p) => ({ value: p.id, label: `${p.name}（${p.year}）` }))}
      data-testid="bulk-program"
    />
  );
}

/**
 * 批量操作 on the teachers chosen in the list: activate, deactivate (each confirmed first) or assign to a program
 * (checked first, then all assigned or none). Activation is decided teacher by teacher on the server; the summary
 * names every refusal.
 */
export default function BulkBar({ selected, onDone, onClear }: { selected: Teacher[]; onDone: () => void; onClear: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [outcome, setOutcome] = useState<BulkOutcome | undefined>();
  const [choosing, setChoosing] = useState(false);
  const [program, setProgram] = useState<number | undefined>();
  const [assigning, setAssigning] = useState(false);
  const ids = selected.map((s) => s.id);
  const names = new Map(selected.map((s) => [s.id, s.name]));
  const tooMany = ids.length > BULK_LIMIT;

  const setActive = (active: boolean) =>
    modal.confirm({
      title: t(active ? 'bulk.confirmActivate' : 'bulk.confirmDeactivate', { count: ids.length }),
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: !active },
      onOk: async () => {
        try {
          setOutcome(await unwrap(api.POST('/api/teachers/active', { body: { teacher_ids: ids, active } })));
          onDone();
        } catch (e) {
          message.error(errorText(t, e));
        }
      },
    });

  return (
    <>
      <Space wrap size="small">
        <Typography.Text>{t('bulk.selected', { count: ids.length })}</Typography.Text>
        {tooMany && <Typography.Text type="danger">{t('bulk.limit', { limit: BULK_LIMIT })}</Typography.Text>}
        <Button size="small" disabled={tooMany} onClick={() => setActive(true)} data-testid="bulk-activate">
          {t('bulk.activate')}
        </Button>
        <Button size="small" danger disabled={tooMany} onClick={() => setActive(false)} data-testid="bulk-deactivate">
          {t('bulk.deactivate')}
        </Button>
        <Button size="small" disabled={tooMany} onClick={() => setChoosing(true)} data-testid="bulk-assign-teachers">
          {t('bulk.assign')}
        </Button>
        <Button size="small" type="link" onClick={onClear}>
          {t('bulk.clear')}
        </Button>
      </Space>
      <Modal
        open={choosing}
        title={t('bulk.assign')}
        onCancel={() => setChoosing(false)}
        okButtonProps={{ disabled: !program }}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        onOk={() => {
          setChoosing(false);
          setAssigning(true);
        }}
        destroyOnHidden
      >
        <ProgramChoice value={program} onChange={setProgram} />
      </Modal>
      {program && (
        <BulkAssign
          programId={program}
          teacherIds={ids}
          open={assigning}
          onClose={() => setAssigning(false)}
          onCommitted={onDone}
        />
      )}
      <BulkResult outcome={outcome} label={(id) => names.get(id) ?? String(id)} onClose={() => setOutcome(undefined)} />
    </>
  );
}

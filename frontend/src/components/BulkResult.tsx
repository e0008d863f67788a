import { Alert, Modal, Table, type CheckboxProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';

export type BulkOutcome = Schemas['BulkOutcome'];
type Refusal = Schemas['BulkRefusal'];

/**
 * Names a row's selection checkbox for screen readers. antd hands these props on to the checkbox input, but its
 * type for them leaves the aria attributes out.
 */
export function checkboxLabel(label: string): Partial<CheckboxProps> {
  return { 'aria-label': label } as Partial<CheckboxProps>;
}

/** The most ids one bulk request may carry (the API refuses more with 422). */
export const BULK_LIMIT = 500;

/**
 * What a bulk action did: n done, n refused, and each refusal with its reason. Items are decided one by one on the
 * server, so a refusal never undoes the others; `label` names an item by its id (a teacher's name …).
 */
export default function BulkResult({ outcome, label, onClose }: { outcome: BulkOutcome | undefined; label: (id: number) => string; onClose: () => void }) {
  const { t } = useTranslation();
  const refused = outcome?.refused.length ?? 0;
  return (
    <Modal open={!!outcome} title={t('bulk.refusedTitle')} onCancel={onClose} onOk={onClose} okText={t('common.ok')} cancelButtonProps={{ style: { display: 'none' } }} destroyOnHidden>
      {outcome && (
        <div data-testid="bulk-result">
          <Alert type={refused ? 'warning' : 'success'} showIcon message={t('bulk.summary', { done: outcome.done, refused })} style={{ marginBottom: 12 }} />
          {refused > 0 && (
            <Table<Refusal>
              rowKey="id"
              size="small"
              dataSource={outcome.refused}
              pagination={refused > 10 ? { pageSize: 10 } : false}
              columns={[
                { title: t('bulk.item'), dataIndex: 'id', width: 160, render: (id: number) => label(id) },
                { title: t('bulk.reason'), dataIndex: 'message' },
              ]}
              data-testid="bulk-refused"
            />
          )}
        </div>
      )}
    </Modal>
  );
}

import { useEffect, useState } from 'react';
import { Alert, App, Button, Modal, Radio, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Schemas } from '../../api/client';
import { errorText } from '../../components/errors';

type Quota = Schemas['QuotaView'];
type Plan = Schemas['DistributionPlan'];
type Share = Schemas['QuotaShare'];
type Method = Schemas['SplitMethod'];

/**
 * 分配到下级: shares a node's free seats among every node directly below it (a county: all its schools), evenly or by
 * teacher count. The split is previewed first (a dry run on the server, which also counts the teachers); the
 * confirmation hands every share on in one transaction.
 */
export default function DistributeQuota({ programId, quota, onClose, onDone }: { programId: number; quota: Quota | undefined; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [method, setMethod] = useState<Method>('teachers');
  const [plan, setPlan] = useState<Plan | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const run = async (m: Method, dryRun: boolean) => {
    if (!quota) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await unwrap(
        api.POST('/api/programs/{id}/quotas/{node_code}/distribute', { params: { path: { id: programId, node_code: quota.node_code } }, body: { method: m, dry_run: dryRun } }),
      );
      setPlan(result);
      if (result.committed) {
        message.success(t('distribute.done', { count: result.available }));
        onDone();
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    setPlan(undefined);
    if (quota) void run(method, true);
    // Preview again whenever another node or method is chosen.
  }, [quota?.node_code, method]);

  return (
    <Modal
      open={!!quota}
      title={quota && t('distribute.title', { name: quota.node_name })}
      onCancel={onClose}
      width={720}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} disabled={!plan || plan.committed || plan.available <= 0} onClick={() => void run(method, false)} data-testid="distribute-confirm">
            {t('distribute.confirm')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('distribute.help')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('distribute.method')}</span>
        <Radio.Group
          value={method}
          onChange={(e) => setMethod(e.target.value as Method)}
          disabled={plan?.committed}
          options={[
            { value: 'teachers', label: t('distribute.teachers') },
            { value: 'even', label: t('distribute.even') },
          ]}
          optionType="button"
        />
      </Space>
      {!!error && <Alert type="error" showIcon message={errorText(t, error)} style={{ marginBottom: 12 }} />}
      {plan && (
        <div data-testid="distribute-plan">
          <Alert
            type={plan.committed ? 'success' : plan.available > 0 ? 'info' : 'warning'}
            showIcon
            message={plan.committed ? t('distribute.done', { count: plan.available }) : plan.available > 0 ? t('distribute.available', { count: plan.available }) : t('distribute.nothing')}
            style={{ marginBottom: 12 }}
          />
          <Table<Share>
            rowKey="node_code"
            size="small"
            dataSource={plan.shares}
            pagination={plan.shares.length > 10 ? { pageSize: 10 } : false}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('distribute.node'), dataIndex: 'node_name', render: (_: unknown, s: Share) => <span>{s.node_name} <Typography.Text type="secondary" className="mono">{s.node_code}</Typography.Text></span> },
              { title: t('distribute.teacherCount'), dataIndex: 'teachers', align: 'right', width: 80 },
              { title: t('distribute.current'), dataIndex: 'current', align: 'right', width: 90 },
              { title: t('distribute.added'), dataIndex: 'added', align: 'right', width: 80, render: (v: number) => (v > 0 ? `+${v}` : v) },
              { title: t('distribute.after'), dataIndex: 'seats', align: 'right', width: 90 },
            ]}
          />
        </div>
      )}
    </Modal>
  );
}

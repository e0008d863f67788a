import { useRef, useState } from 'react';
import { App, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, downloadFile, unwrap } from '../../api/client';
import type { Certificate } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import ReasonModal from '../../components/ReasonModal';
import { errorText } from '../../components/errors';
import { CertificateStatus, certificatePdfPath } from './status';
import { toTableResult } from '../../components/table';

export { certificatePdfPath };

/** 证书: a teacher's own certificates with the PDF; an administrator's area, with revocation. */
export default function CertificatesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { access, me } = useAuth();
  const actionRef = useRef<ActionType>(undefined);
  const [revoking, setRevoking] = useState<Certificate | undefined>();
  const [downloading, setDownloading] = useState<string | null>(null);
  const admin = access('program.manage');
  const programs = useQuery({
    queryKey: ['programs', 'for-certificates'],
    queryFn: () => unwrap(api.GET('/api/programs', { params: { query: { page: 1, page_size: 100 } } })),
    staleTime: 60_000,
  });

  const download = async (c: Certificate) => {
    setDownloading(c.number);
    try {
      await downloadFile(certificatePdfPath(c.number), {}, `${c.number}.pdf`);
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setDownloading(null);
    }
  };

  const columns: ProColumns<Certificate>[] = [
    { title: t('certificates.number'), dataIndex: 'number', width: 200, fieldProps: { placeholder: t('certificates.numberHint') }, render: (_, r) => <Link to={`/verify/${encodeURIComponent(r.number)}`} className="mono">{r.number}</Link> },
    ...(admin ? [{ title: t('certificates.teacher'), dataIndex: 'teacher_name', search: false as const, width: 110, render: (_: unknown, r: Certificate) => (access('teacher.read') ? <Link to={`/teachers/${r.teacher_id}`}>{r.teacher_name}</Link> : r.teacher_name) }] : []),
    {
      title: t('certificates.program'),
      dataIndex: 'program_id',
      ellipsis: true,
      valueType: 'select',
      fieldProps: { showSearch: true, optionFilterProp: 'label', options: programs.data?.items.map((p) => ({ value: p.id, label: `${p.name}（${p.year}）` })) },
      render: (_, r) => <Link to={`/programs/${r.program_id}`}>{r.program_name}</Link>,
    },
    { title: t('certificates.issuedAt'), dataIndex: 'issued_at', search: false, width: 120, render: (_, r) => dayjs(r.issued_at).format('YYYY-MM-DD') },
    {
      title: t('common.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: { valid: { text: t('certificateStatus.valid') }, revoked: { text: t('certificateStatus.revoked') } },
      width: 200,
      render: (_, r) => (
        <>
          <CertificateStatus status={r.status} />
          {r.revoke_reason && (
            <Typography.Text type="secondary" style={{ display: 'block' }}>
              {t('certificates.revokeReason')}：{r.revoke_reason}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      fixed: 'right',
      width: 180,
      render: (_, r) => (
        <Space size="middle">
          {r.status === 'valid' && (r.teacher_id === me?.teacher_id || admin) && (
            <Typography.Link onClick={() => void download(r)} disabled={downloading === r.number} data-testid={`pdf-${r.number}`}>
              <DownloadOutlined aria-hidden /> {t('certificates.pdf')}
            </Typography.Link>
          )}
          {admin && r.status === 'valid' && r.teacher_id !== me?.teacher_id && (
            <Typography.Link type="danger" onClick={() => setRevoking(r)} data-testid={`revoke-${r.number}`}>
              {t('certificates.revoke')}
            </Typography.Link>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Page title={t('menu.certificates')}>
      <ListTable<Certificate>
        rowKey="number"
        actionRef={actionRef}
        columns={columns}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        request={async (p) => {
          const query: { page: number; page_size: number; status?: 'valid' | 'revoked'; program_id?: number; number?: string } = { page: p.current ?? 1, page_size: p.pageSize ?? 20 };
          if (p.status === 'valid' || p.status === 'revoked') query.status = p.status;
          if (typeof p.program_id === 'number') query.program_id = p.program_id;
          if (typeof p.number === 'string' && p.number.trim()) query.number = p.number.trim();
          const data = await unwrap(api.GET('/api/certificates', { params: { query } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={admin ? t('certificates.areaList') : t('certificates.myList')}
        locale={{ emptyText: <Typography.Text type="secondary">{t('certificates.empty')}</Typography.Text> }}
        scroll={{ x: 900 }}
        data-testid="certificates"
      />
      <ReasonModal
        open={!!revoking}
        title={t('certificates.revokeTitle', { number: revoking?.number ?? '' })}
        okText={t('certificates.revoke')}
        warning={t('certificates.revokeWarning')}
        onCancel={() => setRevoking(undefined)}
        onSubmit={async (reason) => {
          if (!revoking) return;
          await unwrap(api.POST('/api/certificates/{number}/revoke', { params: { path: { number: revoking.number } }, body: { reason } }));
          message.success(t('certificates.revoked'));
          setRevoking(undefined);
          actionRef.current?.reload();
        }}
      />
    </Page>
  );
}

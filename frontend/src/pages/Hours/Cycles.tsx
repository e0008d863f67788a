import { Card, Flex, Progress, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { QueryError } from '../../components/States';

/** The 5-year cycles (360 hours each), newest first: where a teacher stands against the requirement. */
export default function Cycles({ teacherId }: { teacherId: number }) {
  const { t } = useTranslation();
  const cycles = useQuery({
    queryKey: ['hours', 'cycles', teacherId],
    queryFn: () => unwrap(api.GET('/api/hours/cycles', { params: { query: { teacher_id: teacherId } } })),
  });
  if (cycles.error) return <QueryError query={cycles} />;
  if (!cycles.data) return null;
  return (
    <Card size="small" title={t('hours.cycles')} style={{ marginBottom: 16 }} data-testid="hour-cycles">
      {cycles.data.length === 0 ? (
        <Typography.Text type="secondary">{t('hours.noCycles')}</Typography.Text>
      ) : (
        <Flex vertical gap={8}>
          {cycles.data.map((c) => (
            <Flex key={c.cycle_start} align="center" gap={16} wrap>
              <span style={{ minWidth: 110 }}>{t('hours.cycle', { from: c.cycle_start, to: c.cycle_end })}</span>
              <Progress
                percent={Math.min(100, Math.round((c.hours / c.required_hours) * 100))}
                status={c.reached ? 'success' : 'normal'}
                style={{ flex: 1, minWidth: 160, margin: 0 }}
                aria-label={t('hours.cycle', { from: c.cycle_start, to: c.cycle_end })}
              />
              <span>
                {t('hours.cycleProgress', { hours: c.hours, required: c.required_hours })}
                {c.reached && <> · {t('hours.cycleReached')}</>}
              </span>
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  );
}

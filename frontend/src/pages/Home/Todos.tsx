import { Badge, Card, List, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';

/** 待办: each queue I can work with its count, linked to the page that works it. */
export default function Todos({ todos }: { todos: Schemas['TodoCount'][] }) {
  const { t } = useTranslation();
  return (
    <Card title={t('home.todo.title')} className="home-card" data-testid="home-todos">
      {todos.length === 0 ? (
        <Typography.Text type="secondary">{t('home.todo.none')}</Typography.Text>
      ) : (
        <List
          dataSource={todos}
          renderItem={(item) => (
            <List.Item extra={<Badge count={item.count} showZero color={item.count > 0 ? '#cf1322' : '#8c8c8c'} />}>
              <Link to={item.route}>{t(`home.todo.${item.kind}`)}</Link>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

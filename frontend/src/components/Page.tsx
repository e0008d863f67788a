import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';

/** Page frame: a title row with actions, then the content. */
export default function Page({ title, extra, children, subTitle }: { title: ReactNode; subTitle?: ReactNode; extra?: ReactNode; children: ReactNode }) {
  return (
    <div className="page">
      <Flex justify="space-between" align="center" wrap gap={12} className="page-header">
        <div>
          <Typography.Title level={1} className="page-title">
            {title}
          </Typography.Title>
          {subTitle && <Typography.Text type="secondary">{subTitle}</Typography.Text>}
        </div>
        {extra && <Flex gap={8} wrap>{extra}</Flex>}
      </Flex>
      {children}
    </div>
  );
}

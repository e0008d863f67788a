import { useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';

/** Teacher picker: searches the caller's teachers on the server by name or number (optionally in one school). */
export default function TeacherPicker({ value, onChange, id, schoolId }: { value?: number; onChange?: (v: number | undefined) => void; id?: string; schoolId?: number }) {
  const { t } = useTranslation();
  const [keyword, setKeyword] = useState('');
  const { data, isFetching } = useQuery({
    queryKey: ['teachers', 'picker', keyword, schoolId ?? null],
    queryFn: () => unwrap(api.GET('/api/teachers', { params: { query: { keyword: keyword || undefined, school_id: schoolId, page: 1, page_size: 20, active: true } } })),
  });
  return (
    <Select
      id={id}
      showSearch
      allowClear
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={setKeyword}
      loading={isFetching}
      options={(data?.items ?? []).map((x) => ({ value: x.id, label: `${x.name} · ${x.school_name}` }))}
      placeholder={t('common.teacherSearch')}
      notFoundContent={isFetching ? t('common.loading') : t('common.noMatch')}
    />
  );
}

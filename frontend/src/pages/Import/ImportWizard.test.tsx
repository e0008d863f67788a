import { describe, expect, it, vi, beforeEach } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders } from '../../test/utils';
import type { ImportReport } from '../../api/types';

const upload = vi.fn();
vi.mock('../../api/client', async (orig) => ({
  ...(await orig<typeof import('../../api/client')>()),
  uploadWithProgress: (...args: unknown[]) => upload(...args),
}));

const { default: ImportWizard } = await import('./ImportWizard');

const bad: ImportReport = {
  total_rows: 3,
  valid_rows: 2,
  created: 0,
  updated: 0,
  committed: false,
  errors: [{ line: 3, column: '学校标识码', code: 'school_code_digits', message: '学校标识码应为 10 位数字' }],
};
const good: ImportReport = { total_rows: 3, valid_rows: 3, created: 0, updated: 0, committed: false, errors: [] };

function pickFile(name = 'schools.csv') {
  const input = document.querySelector('input[type=file]') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File(['code,name\n'], name, { type: 'text/csv' })] } });
}

describe('import wizard', () => {
  beforeEach(() => upload.mockReset());

  it('previews row errors, offers no confirm and lets the user pick a corrected file', async () => {
    upload.mockResolvedValueOnce(bad);
    renderWithProviders(<ImportWizard kind="schools" />);
    pickFile();
    fireEvent.click(await screen.findByTestId('import-check'));
    const table = await screen.findByTestId('import-errors');
    expect(within(table).getByText('学校标识码应为 10 位数字')).toBeInTheDocument();
    expect(within(table).getByText('3')).toBeInTheDocument();
    expect(screen.getByText('未写入任何数据。请按下表修正文件后重新上传。')).toBeInTheDocument();
    expect(screen.queryByTestId('import-commit')).toBeNull();
    expect(upload).toHaveBeenCalledWith('/api/import/schools', { dry_run: true }, expect.any(FormData), expect.any(Function));
    fireEvent.click(screen.getByRole('button', { name: '重新选择文件' }));
    expect(await screen.findByTestId('import-check')).toBeDisabled();
  });

  it('commits a clean file after confirmation and shows the result', async () => {
    upload.mockResolvedValueOnce(good).mockResolvedValueOnce({ ...good, created: 2, updated: 1, committed: true });
    const onFinished = vi.fn();
    renderWithProviders(<ImportWizard kind="teachers" onFinished={onFinished} />);
    pickFile('teachers.xlsx');
    fireEvent.click(await screen.findByTestId('import-check'));
    expect(await screen.findByText('全部 3 行数据检查通过')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('import-commit'));
    expect(await screen.findByText('新增 2 条，更新 1 条')).toBeInTheDocument();
    expect(upload).toHaveBeenLastCalledWith('/api/import/teachers', { dry_run: false }, expect.any(FormData), expect.any(Function));
    fireEvent.click(screen.getByRole('button', { name: '返回列表' }));
    await waitFor(() => expect(onFinished).toHaveBeenCalled());
  });

  it('shows a translated error when the upload is rejected', async () => {
    const { ApiError } = await import('../../api/problem');
    upload.mockRejectedValueOnce(new ApiError({ status: 403, code: 'forbidden' }));
    renderWithProviders(<ImportWizard kind="schools" />);
    pickFile();
    fireEvent.click(await screen.findByTestId('import-check'));
    expect(await screen.findByTestId('import-error')).toHaveTextContent('没有执行此操作的权限');
  });
});

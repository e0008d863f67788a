import { App, Button, Upload, type UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { uploadWithProgress } from '../api/client';
import type { FileView } from '../api/types';
import { errorText } from './errors';

export const MAX_FILES = 10;
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const FILE_TYPES = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.zip,.txt';

/** Ids of the files that finished uploading. */
export function uploadedIds(files: UploadFile<FileView>[] | undefined): number[] {
  return (files ?? []).filter((f) => f.status === 'done' && f.response).map((f) => f.response!.id);
}

/**
 * Files uploaded one by one to `POST /api/files` as raw bodies (the name, with the extension the server checks,
 * travels as a parameter); use inside a Form.Item with valuePropName="fileList".
 */
export default function FileUpload({
  purpose,
  fileList,
  onChange,
  id,
  testId,
}: {
  purpose: 'evidence' | 'coursework' | 'competency' | 'announcement';
  fileList?: UploadFile<FileView>[];
  onChange?: (e: { fileList: UploadFile<FileView>[] }) => void;
  id?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Upload<FileView>
      id={id}
      multiple
      maxCount={MAX_FILES}
      accept={FILE_TYPES}
      fileList={fileList}
      onChange={onChange}
      beforeUpload={(file) => {
        if (file.size > MAX_FILE_BYTES) {
          message.error(t('files.tooLarge', { name: file.name, mb: MAX_FILE_BYTES / 1024 / 1024 }));
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      customRequest={({ file, onProgress, onSuccess, onError }) => {
        const f = file as File;
        uploadWithProgress<FileView>('/api/files', { purpose, name: f.name }, f, (percent) => onProgress?.({ percent }))
          .then((stored) => onSuccess?.(stored))
          .catch((e: unknown) => {
            message.error(errorText(t, e));
            onError?.(e as Error);
          });
      }}
    >
      <Button icon={<UploadOutlined />} data-testid={testId}>
        {t('files.upload')}
      </Button>
    </Upload>
  );
}

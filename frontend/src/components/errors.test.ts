import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { ApiError, isNetworkError, toProblem } from '../api/problem';
import { errorText } from './errors';

const t = i18n.getFixedT('zh-CN');
const problem = (status: number, code: string, detail?: string, retryAfter?: number) => new ApiError(toProblem({ status, code, detail }, status), retryAfter);

describe('what the user reads for an error', () => {
  it("is the server's own reason for every status, in place of the generic text", () => {
    expect(errorText(t, problem(409, 'enrolment_not_withdrawable', '该报名不能撤销'))).toBe('该报名不能撤销');
    expect(errorText(t, problem(409, 'conflict', '学校标识码已存在'))).toBe('学校标识码已存在');
    expect(errorText(t, problem(422, 'validation_failed', '请求中有不合规的字段'))).toBe('请求中有不合规的字段');
    expect(errorText(t, problem(403, 'forbidden', '只能在自己管理的区域内建校'))).toBe('只能在自己管理的区域内建校');
    expect(errorText(t, problem(404, 'not_found', '未找到'))).toBe('未找到');
    expect(errorText(t, problem(500, 'internal_error', '服务器内部错误'))).toBe('服务器内部错误');
  });

  it('uses the generic text of the code, else of the status, only when the server sent no detail', () => {
    expect(errorText(t, problem(409, 'conflict'))).toBe('数据冲突：记录已存在或已被修改');
    // A body that is not problem+json (a proxy's 502 page): the status decides.
    expect(errorText(t, new ApiError(toProblem(undefined, 502)))).toBe('服务器出错了，请稍后重试');
    expect(errorText(t, new ApiError(toProblem('<html>', 409)))).toBe('数据冲突：记录已存在或已被修改');
    expect(errorText(t, problem(418, 'teapot'))).toBe('发生未知错误');
  });

  it('spells out the wait the server asked for with Retry-After', () => {
    expect(errorText(t, problem(429, 'rate_limited', '请求过于频繁，请稍后再试', 30))).toBe('操作过于频繁，请 30 秒后再试');
    expect(errorText(t, problem(423, 'account_locked', '账号已暂时锁定', 900))).toBe('账号因多次登录失败已被锁定，请 15 分钟后再试');
    // Without the header the server's words stand.
    expect(errorText(t, problem(429, 'rate_limited', '请求过于频繁，请稍后再试'))).toBe('请求过于频繁，请稍后再试');
  });

  it('says the server could not be reached when no answer came', () => {
    expect(errorText(t, new TypeError('Failed to fetch'))).toBe('无法连接服务器，请检查网络');
    expect(errorText(t, new ApiError({ status: 0, code: 'network_error' }))).toBe('无法连接服务器，请检查网络');
    expect(isNetworkError(new TypeError('Failed to fetch'))).toBe(true);
    expect(isNetworkError(problem(503, 'server_error'))).toBe(false);
  });

  it('is in English when the user chose English (the server sends its detail in that language too)', () => {
    const en = i18n.getFixedT('en-US');
    expect(errorText(en, problem(409, 'enrolment_not_withdrawable', 'This enrolment cannot be withdrawn'))).toBe('This enrolment cannot be withdrawn');
    expect(errorText(en, new TypeError('Failed to fetch'))).toBe(i18n.getResource('en-US', 'translation', 'errors.network_error'));
  });
});

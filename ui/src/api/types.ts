// Payloads of the Tauri commands, as skillcert-core serialises them (serde).

export type ApplicationStatus = "待处理" | "申请不通过" | "申请通过" | "已提交申报" | "成绩发布";
export type PaymentStatus = "待支付" | "已支付" | "无需支付";
export type Registration = "未开始" | "报名中" | "已截止" | "已关闭";
export type Level = "五级/初级工" | "四级/中级工" | "三级/高级工" | "二级/技师" | "一级/高级技师" | "专项能力/专项";

export interface StatusCount {
  status: ApplicationStatus;
  count: number;
}

export interface PlanSummary {
  id: number;
  occupation: string;
  job: string | null;
  level: Level;
  reg_start: string;
  reg_end: string;
  exam_date: string;
  code: string;
  plan_no: string;
  conditions: string;
  notice: string;
  publisher: string;
  announced_on: string;
  capacity: number | null;
  fee_fen: number;
  closed: boolean;
  created_at: string;
  updated_at: string;
  registration: Registration;
  counts: StatusCount[];
}

export interface Application {
  id: number;
  plan_id: number;
  candidate_id: number;
  name: string;
  id_type: string;
  id_number: string;
  phone: string;
  status: ApplicationStatus;
  payment: PaymentStatus;
  reject_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface AppInfo {
  db_path: string;
  schema_version: number;
  version: string;
}

/** The one error shape every command returns: the message is Chinese and shown as is. */
export interface CommandError {
  code: string;
  message: string;
}

// Sent on window when 设置 → 数据库 opened another database (the shell shows which one).
export const DATABASE_SWITCHED = "skillcert:database-switched";

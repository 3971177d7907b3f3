-- SqlServerRegistry.FindMerchantAsync: the merchant id within the campus.
SELECT no, merchant_id, name, category, opened_at, campus_no FROM dbo.merchants WHERE campus_no = @campus AND merchant_id = @merchant_id;

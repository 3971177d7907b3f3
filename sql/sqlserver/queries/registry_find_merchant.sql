-- SqlServerRegistry.FindMerchantAsync.
SELECT no, merchant_id, name, category, opened_at FROM dbo.merchants WHERE merchant_id = @merchant_id;

curl --request POST 'https://yourInstance.salesforce.com/services/data/v60.0/sobjects/Account/' \
--header 'Authorization: Bearer YOUR_ACCESS_TOKEN' \
--header 'Content-Type: application/json' \
--data-raw '{
    "Name": "Test Account",
    "Phone": "1234567890",
    "Website": "https://example.com",
    "BillingCity": "New York"
}'

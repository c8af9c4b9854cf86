curl --request POST 'https://yourInstance.salesforce.com/services/data/v60.0/sobjects/Account/' \
--header 'Authorization: Bearer YOUR_ACCESS_TOKEN' \
--header 'Content-Type: application/xml' \
--header 'Accept: application/xml' \
--data-raw '<?xml version="1.0" encoding="UTF-8"?>
<Account>
    <Name>Test Account XML</Name>
    <Phone>1234567890</Phone>
    <Website>https://example.com</Website>
    <BillingCity>New York</BillingCity>
</Account>'

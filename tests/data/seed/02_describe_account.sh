curl --request GET 'https://yourInstance.salesforce.com/services/data/v58.0/sobjects/Account/' \
--header 'Authorization: Bearer YOUR_ACCESS_TOKEN'

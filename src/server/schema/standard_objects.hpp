// Builders of the standard objects, one function per object, grouped in files by family:
// standard_objects.cpp (Account, Contact, Lead), standard_sales.cpp, standard_service.cpp,
// standard_identity.cpp. Schema::Standard() assembles them. Internal to the schema module.
#pragma once

#include <initializer_list>
#include <span>
#include <string_view>
#include <utility>

#include "server/schema/schema.hpp"

namespace sfkit::server::standard {

// Core CRM (standard_objects.cpp).
ObjectDef Account();
ObjectDef Contact();
ObjectDef Lead();

// Sales (standard_sales.cpp).
ObjectDef Opportunity();
ObjectDef OpportunityLineItem();
ObjectDef Campaign();
ObjectDef CampaignMember();
ObjectDef Product2();
ObjectDef Pricebook2();
ObjectDef PricebookEntry();
ObjectDef Contract();
ObjectDef Order();
ObjectDef Asset();

// Service and activities (standard_service.cpp).
ObjectDef Case();
ObjectDef Task();
ObjectDef Event();
ObjectDef Note();
ObjectDef Attachment();

// Platform objects every org has, empty here (standard_platform.cpp).
ObjectDef EventLogFile();
ObjectDef PlatformAction();

// The org's identity, mirrored from the auth tables (standard_identity.cpp).
ObjectDef Organization();
ObjectDef User();
ObjectDef Profile();

/// The Profile `Permissions*` checkboxes sfkit models: {field name, label}.
std::span<const std::pair<std::string_view, std::string_view>> ProfilePermissions();

/// The objects a Task/Event `WhatId` may point at (standard ones; custom objects are added
/// when the org definition declares them).
inline const std::initializer_list<std::string_view> kWhatTargets = {
    "Account", "Asset", "Campaign", "Case", "Contract", "Opportunity", "Order", "Product2"};

/// Lead Source, shared by Contact, Lead and Opportunity.
inline const std::initializer_list<std::string_view> kLeadSources = {
    "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"};

/// Industry, shared by Account and Lead.
inline const std::initializer_list<std::string_view> kIndustries = {
    "Agriculture",     "Apparel",       "Banking",       "Biotechnology",      "Chemicals",
    "Communications",  "Construction",  "Consulting",    "Education",          "Electronics",
    "Energy",          "Engineering",   "Entertainment", "Environmental",      "Finance",
    "Food & Beverage", "Government",    "Healthcare",    "Hospitality",        "Insurance",
    "Machinery",       "Manufacturing", "Media",         "Not For Profit",     "Recreation",
    "Retail",          "Shipping",      "Technology",    "Telecommunications", "Transportation",
    "Utilities",       "Other"};

}  // namespace sfkit::server::standard
